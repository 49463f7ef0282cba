export default {
  app: { title: 'Tongban registration kiosk' },
  mode: { counter: 'Counter mode', 'self-service': 'Self-service mode' },
  health: {
    checking: 'Checking the kiosk…',
    version: 'Version',
    dataDir: 'Data directory',
    database: 'Local database',
    ok: 'OK',
    unreachable: 'unreachable',
  },
  language: { switch: '中文' },
}
