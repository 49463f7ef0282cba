// What the flow tests answer themselves: the hall's devices (printers, capture sources, export
// media) and operating-limit scenarios a fresh kiosk cannot be brought into. Never a rule: every
// rule-bearing command comes from Rust (see RULE_BEARING in ipc-mock.ts). Typed with the ts-rs
// bindings so they cannot drift.
import type { LimitsReport } from '../../src/bindings/LimitsReport'
import type { SourcesReport } from '../../src/bindings/SourcesReport'

/** The capture devices of a counter with a scanner and a card reader (no camera). */
export const scannerOnly: SourcesReport = {
  sources: [{ id: 'airscan:e0:Canon', kind: 'scanner', label: 'Canon LiDE 400' }],
  problems: [],
}

/** Every operating limit well within, sync healthy. */
export const limitsOk: LimitsReport = {
  limits: [
    { kind: 'days-without-sync', value: 0, threshold: 7, state: 'ok', zh: '', en: '' },
    { kind: 'unsent-applications', value: 2, threshold: 500, state: 'ok', zh: '', en: '' },
    { kind: 'days-without-update-check', value: 1, threshold: 30, state: 'ok', zh: '', en: '' },
    { kind: 'free-disk-mb', value: 50000, threshold: 1024, state: 'ok', zh: '', en: '' },
  ],
  acceptingNew: true,
  state: 'ok',
  syncHealth: {
    state: 'ok',
    online: true,
    lastSuccessAt: 1795400000000,
    minutesSinceSuccess: 2,
    thresholdMinutes: 60,
    lastError: null,
    unsent: 2,
  },
}

/** A kiosk that has not reached the platform for eight days: new applications paused. */
export const limitsReached: LimitsReport = {
  ...limitsOk,
  acceptingNew: false,
  state: 'reached',
  limits: limitsOk.limits.map((l) =>
    l.kind === 'days-without-sync'
      ? { ...l, value: 8, state: 'reached', zh: '已 8 天未成功同步或导出（上限 7 天）。请检查网络后点“立即同步”。', en: '8 days without a sync (limit 7).' }
      : l,
  ),
  syncHealth: { ...limitsOk.syncHealth, state: 'warning', online: false, minutesSinceSuccess: 11520, lastError: 'connection refused' },
}
