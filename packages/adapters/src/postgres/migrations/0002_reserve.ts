/**
 * Reservation in one call, and SKU policies.
 *
 * `sku_policy` keeps a SKU's backorder limit and per-cart cap.
 * `mercantile_reserve` holds a cart's lines in one call (one round trip)
 * and keeps a hot stock row locked for one conditional `UPDATE`:
 *
 * 1. An advisory lock per cart queues calls about the same cart (reserve,
 *    commit and release by cart take it), so the cart's holds cannot move
 *    under the call.
 * 2. One read plans the call: each SKU, in SKU order, is checked against
 *    its per-cart cap and its headroom (units below the ERP's figure plus
 *    the backorder room its policy leaves, counting the units that go back:
 *    lapsed holds of the requested SKUs and the cart's own holds); the
 *    first refusal returns before any write. The units are drawn from
 *    locations in the given order, backorders on the first.
 * 3. When nothing goes back and no backorder is needed (the common case),
 *    the holds are inserted first and each stock row is then raised by
 *    `UPDATE … WHERE erp_available - promised >= n`, in (sku, location)
 *    order: the row lock is the last thing taken. A row that moved since
 *    the read undoes the attempt (a subtransaction) and sends the call to 4.
 * 4. Otherwise the stock rows of the requested SKUs and of the cart's own
 *    holds are locked first, in (sku, location) order as every other
 *    writer locks them; the plan is made again under the lock, then the
 *    holds going back are moved, `promised` changes once per row, and the
 *    new holds are inserted.
 *
 * A row with `outcome` `Held` is one hold; a single row `Stock` or
 * `CartLimit` is a refusal, with `available` the free units or the cap.
 *
 * @since 0.1.0
 */
import * as SqlClient from "@effect/sql/SqlClient"
import * as Effect from "effect/Effect"

/** Creates `sku_policy`, the reserve function and the indexes it reads. */
export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient

  yield* sql`
    CREATE TABLE sku_policy (
      sku text PRIMARY KEY,
      backorder_limit integer NOT NULL DEFAULT 0 CHECK (backorder_limit >= 0),
      max_per_cart integer CHECK (max_per_cart > 0),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`

  // One live hold per cart, SKU and location; it also finds a cart's holds.
  yield* sql`
    CREATE UNIQUE INDEX reservations_held_once
    ON reservations (cart_id, sku, location_id) WHERE status = 'Held'`
  yield* sql`DROP INDEX reservations_held_by_cart`
  // A hold is written before its stock row is locked (see below), and stock
  // rows are never deleted: the key check would only share-lock the hot row.
  yield* sql`ALTER TABLE reservations DROP CONSTRAINT reservations_sku_location_id_fkey`
  // Nothing reads reservations by stock row alone.
  yield* sql`DROP INDEX reservations_by_stock`
  // The lapsed holds of one SKU, without reading its live ones.
  yield* sql`
    CREATE INDEX reservations_held_by_sku_expiry
    ON reservations (sku, expires_at) WHERE status = 'Held'`

  // Generic plans: planning these statements anew on each call costs more than running them.
  yield* sql.unsafe(`
    CREATE FUNCTION mercantile_reserve(
      p_cart text,
      p_lines jsonb,
      p_now timestamptz,
      p_expires_at timestamptz,
      p_location_order jsonb
    ) RETURNS TABLE (
      outcome text, id text, sku text, location_id text, quantity integer, available integer
    )
    LANGUAGE plpgsql
    SET plan_cache_mode = force_generic_plan
    AS $fn$
    #variable_conflict use_column
    DECLARE
      v_order text[] := ARRAY(SELECT jsonb_array_elements_text(p_location_order));
      v_skus text[];
      v_quantities integer[];
      v_locked boolean;
      v_backorder boolean;
      v_row record;
      v_total integer;
      v_take integer;
      v_n integer;
      v_ids text[];
      v_plan_skus text[];
      v_plan_locations text[];
      v_plan_takes integer[];
    BEGIN
      SELECT COALESCE(array_agg(x.sku ORDER BY x.sku COLLATE "C"), '{}'),
        COALESCE(array_agg(x.quantity ORDER BY x.sku COLLATE "C"), '{}')
      INTO v_skus, v_quantities
      FROM jsonb_to_recordset(p_lines) AS x (sku text, quantity integer);

      PERFORM pg_advisory_xact_lock(1296912716, hashtext(p_cart));

      -- Nothing to give back (the common case): try without locking first.
      v_locked := EXISTS (SELECT FROM reservations r WHERE r.cart_id = p_cart AND r.status = 'Held')
        OR EXISTS (
          SELECT FROM reservations r
          WHERE r.status = 'Held' AND r.sku = ANY (v_skus) AND r.expires_at <= p_now);

      LOOP
        IF v_locked THEN
          PERFORM FROM stock s
          WHERE s.sku = ANY (v_skus || ARRAY(
            SELECT r.sku FROM reservations r WHERE r.cart_id = p_cart AND r.status = 'Held'))
          ORDER BY s.sku, s.location_id
          FOR UPDATE;
        END IF;

        v_backorder := false;
        v_ids := '{}';
        v_plan_skus := '{}';
        v_plan_locations := '{}';
        v_plan_takes := '{}';
        FOR v_row IN
          WITH back AS (
            SELECT h.sku, h.location_id, sum(h.quantity) AS units
            FROM (
              SELECT r.sku, r.location_id, r.quantity FROM reservations r
              WHERE r.status = 'Held' AND r.cart_id = p_cart
              UNION ALL
              SELECT r.sku, r.location_id, r.quantity FROM reservations r
              WHERE r.status = 'Held' AND r.sku = ANY (v_skus) AND r.expires_at <= p_now
                AND r.cart_id <> p_cart
            ) AS h
            GROUP BY h.sku, h.location_id
          ), candidates AS (
            SELECT l.sku, l.quantity, p.max_per_cart,
              COALESCE(p.backorder_limit, 0) AS backorder_limit,
              s.location_id, s.erp_available,
              s.promised - COALESCE(b.units, 0) AS promised,
              COALESCE(array_position(v_order, s.location_id), 2147483647) AS rank
            FROM unnest(v_skus, v_quantities) AS l (sku, quantity)
            LEFT JOIN sku_policy p ON p.sku = l.sku
            LEFT JOIN stock s ON s.sku = l.sku
            LEFT JOIN back b ON b.sku = s.sku AND b.location_id = s.location_id
          )
          SELECT w.sku, w.quantity, w.max_per_cart, w.location_id,
            GREATEST(0, w.erp_available - w.promised) AS free,
            row_number() OVER o AS n,
            COALESCE(sum(GREATEST(0, w.erp_available - w.promised)) OVER o, 0) AS upto,
            COALESCE(sum(GREATEST(0, w.erp_available - w.promised)) OVER g, 0) AS free_total,
            CASE WHEN w.location_id IS NULL THEN 0 ELSE GREATEST(0, w.backorder_limit
              - sum(GREATEST(0, w.promised - w.erp_available)) OVER g) END AS room
          FROM candidates w
          WINDOW g AS (PARTITION BY w.sku),
            o AS (PARTITION BY w.sku ORDER BY w.rank, w.location_id COLLATE "C"
              ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
          ORDER BY w.sku COLLATE "C", w.rank, w.location_id COLLATE "C"
        LOOP
          IF v_row.n = 1 THEN
            v_total := v_row.free_total + v_row.room;
            IF v_row.quantity > v_row.max_per_cart THEN
              RETURN QUERY SELECT 'CartLimit', NULL::text, v_row.sku, NULL::text, v_row.quantity,
                v_row.max_per_cart;
              RETURN;
            ELSIF v_row.quantity > v_total THEN
              RETURN QUERY SELECT 'Stock', NULL::text, v_row.sku, NULL::text, v_row.quantity,
                v_total;
              RETURN;
            END IF;
            v_backorder := v_backorder OR v_row.quantity > v_row.free_total;
          END IF;
          v_take := LEAST(v_row.free, GREATEST(0, v_row.quantity - (v_row.upto - v_row.free)))
            + CASE WHEN v_row.n = 1 THEN GREATEST(0, v_row.quantity - v_row.free_total) ELSE 0 END;
          IF v_take > 0 THEN
            v_ids := v_ids || ('res-' || gen_random_uuid());
            v_plan_skus := v_plan_skus || v_row.sku;
            v_plan_locations := v_plan_locations || v_row.location_id;
            v_plan_takes := v_plan_takes || v_take;
          END IF;
        END LOOP;

        IF v_locked THEN
          WITH gone AS (
            UPDATE reservations r
            SET status = CASE WHEN r.expires_at <= p_now AND r.sku = ANY (v_skus) THEN 'Expired'
                ELSE 'Released' END,
              updated_at = now()
            WHERE r.status = 'Held'
              AND (r.cart_id = p_cart OR (r.sku = ANY (v_skus) AND r.expires_at <= p_now))
            RETURNING r.sku, r.location_id, -r.quantity AS units
          ), delta AS (
            SELECT d.sku, d.location_id, sum(d.units) AS units
            FROM (
              SELECT g.sku, g.location_id, g.units FROM gone g
              UNION ALL
              SELECT * FROM unnest(v_plan_skus, v_plan_locations, v_plan_takes)
            ) AS d (sku, location_id, units)
            GROUP BY d.sku, d.location_id
          )
          UPDATE stock s SET promised = s.promised + d.units, updated_at = now()
          FROM delta d
          WHERE s.sku = d.sku AND s.location_id = d.location_id AND d.units <> 0;

          INSERT INTO reservations (id, cart_id, sku, location_id, quantity, status, expires_at)
          SELECT x.id, p_cart, x.sku, x.location_id, x.take, 'Held', p_expires_at
          FROM unnest(v_ids, v_plan_skus, v_plan_locations, v_plan_takes)
            AS x (id, sku, location_id, take);
          EXIT;
        END IF;

        -- Unlocked: write the holds first, then take each stock row's lock
        -- last with a conditional UPDATE; a row that moved sends us round again,
        -- locked. Backorders need the SKU's rows locked together.
        IF NOT v_backorder THEN
          BEGIN
            INSERT INTO reservations (id, cart_id, sku, location_id, quantity, status, expires_at)
            SELECT x.id, p_cart, x.sku, x.location_id, x.take, 'Held', p_expires_at
            FROM unnest(v_ids, v_plan_skus, v_plan_locations, v_plan_takes)
              AS x (id, sku, location_id, take);
            FOR v_n IN
              SELECT x.n FROM unnest(v_plan_skus, v_plan_locations) WITH ORDINALITY AS x (sku, location_id, n)
              ORDER BY x.sku, x.location_id
            LOOP
              UPDATE stock s SET promised = s.promised + v_plan_takes[v_n], updated_at = now()
              WHERE s.sku = v_plan_skus[v_n] AND s.location_id = v_plan_locations[v_n]
                AND s.erp_available - s.promised >= v_plan_takes[v_n];
              IF NOT FOUND THEN
                RAISE SQLSTATE 'MR001';
              END IF;
            END LOOP;
            EXIT;
          EXCEPTION WHEN SQLSTATE 'MR001' THEN
            NULL;
          END;
        END IF;
        v_locked := true;
      END LOOP;

      RETURN QUERY
      SELECT 'Held'::text, x.id, x.sku, x.location_id, x.take, NULL::integer
      FROM unnest(v_ids, v_plan_skus, v_plan_locations, v_plan_takes) AS x (id, sku, location_id, take);
    END
    $fn$`)
})
