import * as Stores from "../../../testkit/src/contracts/Stores"
import * as PgDatabase from "../../src/postgres/PgDatabase"
import * as PgStores from "../../src/postgres/PgStores"
import * as Layer from "effect/Layer"

// PGlite is one session behind a pool of one: these cases prove the
// semantics; the C6 race on real connections is proven in server.test.ts.
const pglite = () => PgStores.layer.pipe(Layer.provide(PgDatabase.layerPglite()))

Stores.cartStoreContract(pglite())
Stores.orderStoreContract(pglite())
Stores.inboxContract(pglite())
Stores.outboxContract(pglite())
Stores.transactorContract(pglite())
Stores.inventoryContract(pglite())
