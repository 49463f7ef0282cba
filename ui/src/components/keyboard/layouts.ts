// The keys of each pad. A key either types its characters or does something (`action`).

import type { PadKind } from './padKind'

export type KeyAction =
  | 'backspace'
  | 'clear'
  | 'enter'
  | 'space'
  | 'shift'
  | 'language'
  | 'handwriting'
  | 'separator'
  | 'close'

export interface Key {
  /** Characters typed (lower case for letters; shift makes them capitals in English). */
  text?: string
  action?: KeyAction
  /** Relative width (1 = a letter key). */
  width?: number
  /** Stable id for tests: `key-<id>`. */
  id: string
}

const chars = (row: string): Key[] => Array.from(row).map((c) => ({ text: c, id: keyId(c) }))

/** Test id of a character key: letters and digits as they are, symbols by name. */
export function keyId(c: string): string {
  const names: Record<string, string> = {
    '·': 'middle-dot',
    '-': 'hyphen',
    '（': 'open-paren',
    '）': 'close-paren',
    '@': 'at',
    _: 'underscore',
    '.': 'dot',
    ',': 'comma',
    '、': 'enumeration-comma',
    '+': 'plus',
  }
  return names[c] ?? c.toLowerCase()
}

/** The full keyboard (pinyin, English, password): digits, QWERTY and the symbols forms need
 * (·, -, （）, @, _, .). In password mode the language and handwriting keys are gone. */
export function fullRows(kind: PadKind): Key[][] {
  const chinese = kind !== 'password'
  return [
    [...chars('1234567890'), { action: 'backspace', width: 1.5, id: 'backspace' }],
    [...chars('qwertyuiop'), chinese ? { action: 'separator', id: 'separator' } : { text: '-', id: 'hyphen' }],
    [...chars('asdfghjkl'), ...(chinese ? chars('-') : chars('_')), { action: 'enter', width: 1.5, id: 'enter' }],
    [{ action: 'shift', width: 1.5, id: 'shift' }, ...chars('zxcvbnm'), ...chars(chinese ? '·_@.' : '@.!#')],
    [
      ...(chinese
        ? [
            { action: 'language', width: 1.5, id: 'language' } as Key,
            { action: 'handwriting', width: 1.5, id: 'handwriting' } as Key,
            ...chars('（）'),
          ]
        : chars('$%&*')),
      { action: 'space', width: 4, id: 'space' },
      { action: 'clear', width: 1.5, id: 'clear' },
      { action: 'close', width: 1.5, id: 'close' },
    ],
  ]
}

/** A number pad: 3 × 4 digits with the pad's extra key (X for ID numbers, + for phones). */
export function numberRows(kind: PadKind): Key[][] {
  const zero: Key = { text: '0', id: '0' }
  const last: Key[] =
    kind === 'idnumber'
      ? [{ text: 'X', id: 'x' }, zero]
      : kind === 'phone'
        ? [{ text: '+', id: 'plus' }, zero]
        : [{ ...zero, width: 2 }]
  return [
    [...chars('123'), { action: 'backspace', id: 'backspace' }],
    [...chars('456'), { action: 'clear', id: 'clear' }],
    [...chars('789'), { action: 'close', id: 'close' }],
    [...last, { action: 'enter', width: 2, id: 'enter' }],
  ]
}
