import type { FieldKind } from '../bindings/FieldKind'
import type { FlatValues } from './paths'

/** Which Rust field check applies to the input at `path` (the number's check follows the
 * chosen document type), or null when only the whole-application check applies. Presentation
 * only: the checks themselves run in Rust (`validate_value`). */
export function fieldKindFor(path: string, values: FlatValues): FieldKind | null {
  const leaf = path.split('.').pop() ?? ''
  if (leaf === 'number' && path.endsWith('document.number')) {
    const docType = values[path.replace(/number$/, 'docType')] ?? 'resident-id'
    const byDoc: Record<string, FieldKind> = {
      'resident-id': 'resident-id',
      passport: 'passport',
      'hk-macao-permit': 'hk-macao-permit',
      'taiwan-permit': 'taiwan-permit',
      'residence-permit': 'residence-permit',
      'foreign-permanent-residence': 'foreign-pr',
      'birth-certificate': 'birth-certificate',
    }
    return byDoc[docType] ?? null
  }
  const byLeaf: Record<string, FieldKind> = {
    uscc: 'uscc',
    mobile: 'mobile',
    contactMobile: 'mobile',
    email: 'email',
    smsCode: 'sms-code',
    accountName: 'account-name',
    password: 'password',
  }
  return byLeaf[leaf] ?? null
}
