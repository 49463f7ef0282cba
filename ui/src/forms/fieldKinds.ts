import type { FieldKind } from '../bindings/FieldKind'
import type { FieldSpec } from '../bindings/FieldSpec'
import type { FlowForm } from '../bindings/FlowForm'
import type { FlatValues } from './paths'

/** Which Rust check (`validate_value`) applies when the field is left: the field's own, or
 * for a document number the one Rust gives for the chosen document type. Presentation only:
 * the checks themselves run in Rust. */
export function fieldKindFor(field: FieldSpec, form: FlowForm, values: FlatValues): FieldKind | null {
  if (field.path.endsWith('document.number')) {
    const docType = values[field.path.replace(/number$/, 'docType')] ?? 'resident-id'
    return form.documentChecks.find((c) => c.docType === docType)?.check ?? null
  }
  return field.check ?? null
}
