// Who comes to the kiosk in the flow tests. Every number is valid under the rules the kiosk
// applies (GB 11643 check characters for resident IDs, GB 32100 for credit codes with a
// GB 11714 organisation code inside); the first three persons are the platform's simulated
// population database (crates/platform/src/checks.rs), so their real names are verified (or, for
// 王五, not found) while the visitor is there.

export interface Person {
  name: string
  id: string
  /** As the select shows it. */
  sex: '男' | '女'
  mobile: string
}

/** In the population database: verified. */
export const zhangSan: Person = { name: '张三', id: '11010519491231002X', sex: '女', mobile: '13812345678' }
/** In the population database: verified. */
export const liSi: Person = { name: '李四', id: '440524188001010014', sex: '男', mobile: '13912345670' }
/** In the population database without a usable record: the platform cannot verify him. */
export const wangWu: Person = { name: '王五', id: '110101199003074477', sex: '男', mobile: '13712345671' }

/** Not in the population database (agents, contacts: nobody checks their real name). */
export const sunMin: Person = { name: '孙敏', id: '120101198506123020', sex: '女', mobile: '13612345672' }
export const zhaoLei: Person = { name: '赵磊', id: '410105198803152017', sex: '男', mobile: '13512345673' }
export const qianWei: Person = { name: '钱伟', id: '37010219760908451X', sex: '男', mobile: '15012345674' }

/** Valid unified social credit codes (enterprise, category 91). */
export const uscc = {
  tianjin: '91120101MA05L7Q86N',
  zhengzhou: '91410105MA44K2R635',
  shandong: '91370102MA3C8N4T20',
  most: '91110108MA01ET88XL',
  zhengzhouOther: '91410105MA46P3D238',
  tianjinOther: '91120116MA07H9K32W',
}

/** A password every platform's policy accepts (8-20 characters, four classes). */
export const password = 'Kx9!pQ2#mZ'
