// Logic of the ID-card reader panel that does not need a DOM: kept here so it is unit-tested.
import type { CardPresence } from '../../bindings/CardPresence'
import type { CardSummary } from '../../bindings/CardSummary'

/** Where the panel stands: looking for a reader, none usable, waiting for a card, reading,
 * showing what was read, or showing why the read failed. */
export type ReaderPhase = 'looking' | 'no-reader' | 'waiting' | 'reading' | 'read' | 'failed'

/** The phase after a watcher event. `reading` means "read now" (the caller decides whether it
 * reads on its own); a read in progress is never interrupted; the card that was just read
 * lying on does not start a second read, lifting it waits for the next one. */
export function phaseAfterPresence(phase: ReaderPhase, presence: CardPresence): ReaderPhase {
  if (phase === 'reading' || phase === 'looking' || phase === 'no-reader') return phase
  if (presence.problem) return phase === 'read' ? 'read' : 'waiting'
  if (presence.present) return phase === 'read' ? 'read' : 'reading'
  return 'waiting'
}

/** "2015-01-01 – 长期" from the masked card Rust returns. */
export function validityText(card: CardSummary, longTerm: string): string {
  if (!card.validFrom) return ''
  const until = card.validUntil === 'long-term' ? longTerm : (card.validUntil ?? '')
  return `${card.validFrom} – ${until}`
}
