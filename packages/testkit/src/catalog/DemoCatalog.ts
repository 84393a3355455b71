/**
 * The demo catalog as plain data: categories, product models and variant
 * SKUs, read from an Akeneo CSV export and shared by every vendor fake and
 * memory adapter so that they all tell the same story.
 *
 * @since 0.1.0
 */
import * as Data from "effect/Data"

/** A node of the category tree, labelled in en_US. */
export interface DemoCategory {
  readonly code: string
  readonly parent?: string
  readonly label: string
}

/** A root model or a level-1 sub-model. */
export interface DemoModel {
  readonly code: string
  /** The parent model's code as the file spells it (case resolved). */
  readonly parent?: string
  readonly family?: string
  readonly familyVariant: string
  readonly name: string
  readonly description?: string
  /** The model's own categories merged with its parent's. */
  readonly categories: Array<string>
}

/** One axis value of a variant, as the PIM stores it and as a shopper reads it. */
export interface DemoAxisValue {
  readonly attribute: string
  /** The option code, or the amount of a metric value. */
  readonly data: string
  /** The unit code of a metric value ("INCH"). */
  readonly unit?: string
  /** The option's en_US label, or "amount unit" for a metric. */
  readonly label: string
}

/** One sellable variant SKU with every inherited value resolved. */
export interface DemoVariant {
  /** As in the file (case kept). */
  readonly sku: string
  /** The root model's code, found by walking the parent chain case-insensitively. */
  readonly rootModel: string
  /** The model the SKU hangs under (the root or a sub-model), case resolved. */
  readonly parent?: string
  /** The root model code, lower-cased, runs of other characters turned into "-". */
  readonly slug: string
  /** The display name; see `AkeneoCsv` for the rule. */
  readonly name: string
  readonly description?: string
  /** The variant's categories merged with those of its models. */
  readonly categories: ReadonlyArray<string>
  /** Axis values by attribute code, as en_US labels ("color" → "White"). */
  readonly attributes: Readonly<Record<string, string>>
  /** Axis values with their codes, for fakes that answer in the vendor's terms. */
  readonly axes?: ReadonlyArray<DemoAxisValue>
  /** Currency → decimal string ("499"); the variant's own value wins over its models'. */
  readonly prices: Readonly<Record<string, string>>
  readonly enabled: boolean
  readonly ean?: string
}

/** An option of a select attribute; codes are unique per attribute only. */
export interface DemoOption {
  readonly attribute: string
  readonly code: string
  readonly label: string
}

/** A family variant and its axes, level 1 first. */
export interface DemoFamilyVariant {
  readonly code: string
  readonly family: string
  readonly axes: ReadonlyArray<ReadonlyArray<string>>
}

/** A whole demo catalog. */
export interface DemoCatalog {
  readonly categories: ReadonlyArray<DemoCategory>
  readonly models: ReadonlyArray<DemoModel>
  readonly variants: ReadonlyArray<DemoVariant>
  readonly options?: ReadonlyArray<DemoOption>
  readonly familyVariants?: ReadonlyArray<DemoFamilyVariant>
}

/** A catalog folder could not be read or does not hold a consistent export. */
export class CatalogError extends Data.TaggedError("CatalogError")<{
  readonly reason: "Missing" | "Unreadable" | "Invalid"
  readonly path: string
  readonly detail: string
}> {
  override get message(): string {
    return `Demo catalog ${this.path}: ${this.reason}: ${this.detail}`
  }
}

/** Lower-cases a model code and turns each run of other characters into "-". */
export const slugify = (code: string): string =>
  code
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
