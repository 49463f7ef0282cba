// The only place the UI talks to Rust. The wrappers of the Tauri commands in
// `src-tauri/src/commands/` are generated from their Rust declarations (`commands.gen.ts`, by
// `cargo test`); payload types come from ts-rs (`src/bindings/`). Written here by hand: the
// wrappers whose shape is not one argument per Rust argument (marked `ts_by_hand` in Rust),
// and the event listeners.
import { listen, type UnlistenFn } from '@tauri-apps/api/event'
import type { ApplicationKind } from '../bindings/ApplicationKind'
import type { Captured } from '../bindings/Captured'
import type { CardPresence } from '../bindings/CardPresence'
import type { IdCardForForm } from '../bindings/IdCardForForm'
import type { Ink } from '../bindings/Ink'
import type { PersonRole } from '../bindings/PersonRole'
import type { Recognised } from '../bindings/Recognised'
import type { SyncStatus } from '../bindings/SyncStatus'
import type { UpdateStatus } from '../bindings/UpdateStatus'
import { generatedCommands, type HandWrittenCommands } from './commands.gen'
import { call } from './ipc'

export { CommandError, setSessionHooks, type SessionHooks } from './ipc'

/** The event the ID-card watcher emits when a card is placed or lifted, or the reader fails. */
export const ID_CARD_PRESENT_EVENT = 'id-card-present'

/** The wrappers Rust marks `ts_by_hand`: the type makes sure every one of them is here. */
const handWritten = {
  /** Puts a file or camera frame into the capture tray: Rust normalises images and checks PDF
   * and Word files (kept as they are) against what the slot takes. By hand: the bytes go as the
   * raw request body (a JSON array would cost a value per byte); slot and file name as headers
   * (the name percent-encoded, headers are ASCII), and with `flow` the profile and kind whose
   * slot it is (then the profile's types apply). */
  captureUpload: (
    slot: string,
    fileName: string,
    bytes: Uint8Array,
    flow: { profile: string; kind: string } | null = null,
  ) =>
    call<Captured>('capture_upload', bytes, {
      slot,
      'file-name': encodeURIComponent(fileName),
      ...(flow ? { profile: flow.profile, kind: flow.kind } : {}),
    }),
  /** Reads the card on the reader (`device` null: the one in use or the first found). With a
   * form (`profile`, `kind`, `role`) it also returns the values for that person's fields, the
   * read-only paths and what could not be filled; without, only the masked card. By hand: the
   * screens hold the form as one value. */
  idReaderRead: (
    form: { profile: string; kind: ApplicationKind; role: PersonRole } | null,
    device: string | null = null,
  ) => call<IdCardForForm>('id_reader_read', { device, ...(form ?? {}) }),
  /** The characters read in handwritten strokes, best first. By hand: the pad hands over one
   * `Ink`, Rust takes its parts. */
  imeHandwriting: (ink: Ink) =>
    call<Recognised[]>('ime_handwriting', { strokes: ink.strokes, width: ink.width, height: ink.height }),
} satisfies Record<HandWrittenCommands, unknown>

export const commands = {
  ...generatedCommands,
  ...handWritten,
  /** Calls `handler` with each `id-card-present` event; resolves to a function that stops it. */
  onIdCardPresent: async (handler: (presence: CardPresence) => void): Promise<() => void> =>
    listen<CardPresence>(ID_CARD_PRESENT_EVENT, (event) => handler(event.payload)),
  /** Calls `handler` with each `update-progress` event; resolves to a function that stops it. */
  onUpdateProgress: async (handler: (status: UpdateStatus) => void): Promise<() => void> =>
    listen<UpdateStatus>('update-progress', (event) => handler(event.payload)),
}

/** The event the background sync worker emits with a `SyncStatus` after every change. */
export const SYNC_PROGRESS_EVENT = 'sync-progress'

/** Calls `handler` with every `sync-progress` status; resolves to the function that stops listening. */
export function onSyncProgress(handler: (status: SyncStatus) => void): Promise<UnlistenFn> {
  return listen<SyncStatus>(SYNC_PROGRESS_EVENT, (event) => handler(event.payload))
}
