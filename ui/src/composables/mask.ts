/** Screen masking as the manuals show it: first 3 + asterisks + last 4 (`110***********271X`);
 * short values become all asterisks. Display only: Rust masks what it stores and prints. */
export function maskValue(value: string): string {
  const chars = [...value]
  if (chars.length <= 7) return '*'.repeat(chars.length)
  return chars.slice(0, 3).join('') + '*'.repeat(chars.length - 7) + chars.slice(-4).join('')
}
