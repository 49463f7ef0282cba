/** Form values are kept flat by dotted path (`person.document.number`), the same paths the
 * Rust profiles list and Rust problems point at (`Problem.field`). */
export type FlatValues = Record<string, string>

/** Builds the nested object Rust expects from flat values; empty values are left out. */
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

/** Whether a problem's field points at this input (or inside it). */
export function pointsAt(problemField: string | undefined, path: string): boolean {
  return problemField !== undefined && (problemField === path || problemField.startsWith(`${path}.`))
}
