/** Form values are kept flat by dotted path (`person.document.number`), the same paths the
 * Rust profiles list and Rust problems point at (`Problem.field`). Composite inputs use
 * sub-paths (`unit.registeredAddress.divisionCode`, `person.document.validity.from`). */
export type FlatValues = Record<string, string | boolean>

/** Builds the nested object Rust expects from flat values; empty texts are left out. */
export function nest(values: FlatValues): Record<string, unknown> {
  const root: Record<string, unknown> = {}
  for (const [path, value] of Object.entries(values)) {
    if (value === '') continue
    const keys = path.split('.')
    let node = root
    keys.slice(0, -1).forEach((key) => {
      const next = node[key]
      if (typeof next !== 'object' || next === null) node[key] = {}
      node = node[key] as Record<string, unknown>
    })
    node[keys[keys.length - 1]] = value
  }
  return root
}

/** Flattens a nested object back into dotted paths (a draft loaded from Rust). */
export function flatten(value: unknown, prefix = ''): FlatValues {
  const out: FlatValues = {}
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return out
  for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
    const path = prefix ? `${prefix}.${key}` : key
    if (typeof inner === 'string' || typeof inner === 'boolean') out[path] = inner
    else if (typeof inner === 'number') out[path] = String(inner)
    else Object.assign(out, flatten(inner, path))
  }
  return out
}

/** Whether a problem's field points at this input (or inside it). */
export function pointsAt(problemField: string | undefined, path: string): boolean {
  return problemField !== undefined && (problemField === path || problemField.startsWith(`${path}.`))
}

/** Applies a patch Rust returned (`StepOutcome.patch`, `SmsVerified.patch`): each dotted path
 * takes the value (objects flattened under it); `null` removes the path and what is below it. */
export function applyPatch(values: FlatValues, patch: Record<string, unknown>): void {
  for (const [path, value] of Object.entries(patch)) {
    for (const key of Object.keys(values)) {
      if (key === path || key.startsWith(`${path}.`)) delete values[key]
    }
    if (value === null || value === undefined) continue
    if (typeof value === 'string' || typeof value === 'boolean') values[path] = value
    else if (typeof value === 'number') values[path] = String(value)
    else Object.assign(values, flatten(value, path))
  }
}
