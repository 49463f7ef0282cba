export default {
  app: { title: '通办自助登记终端' },
  mode: { counter: '柜台模式', 'self-service': '自助模式' },
  health: {
    checking: '正在检查终端状态…',
    version: '版本',
    dataDir: '数据目录',
    database: '本地数据库',
    ok: '正常',
    unreachable: '无法访问',
  },
  language: { switch: 'English' },
}
