// INTERIM: the fields each registration asks for, until kiosk-api's `validate` module exposes a
// profile's form (fields, document types, attachment slots) as a ts-rs type. This file holds
// no rule: it only lists what to ask; every check happens in Rust when the application is
// submitted. Replace `formFor` with the Rust command and delete this file when it lands.
import type { FlowKind } from '../stores/visitor'

/** One input of the form; `key` is the dotted path in the Rust `Application` JSON. */
export interface FormField {
  key: string
  zh: string
  en: string
  input: 'text' | 'password' | 'select'
  options?: { value: string; zh: string; en: string }[]
  /** Sensitive: shown masked on the summary. */
  sensitive?: boolean
}

/** A step of the wizard: a titled group of fields. */
export interface FormStep {
  key: string
  zh: string
  en: string
  fields: FormField[]
}

const person: FormStep[] = [
  {
    key: 'identity',
    zh: '身份证件',
    en: 'Identity document',
    fields: [
      {
        key: 'person.document.docType',
        zh: '证件类型',
        en: 'Document type',
        input: 'select',
        options: [
          { value: 'resident-id', zh: '居民身份证', en: 'Resident ID card' },
          { value: 'passport', zh: '护照', en: 'Passport' },
          { value: 'hk-macao-permit', zh: '港澳居民来往内地通行证', en: 'HK/Macao travel permit' },
          { value: 'taiwan-permit', zh: '台湾居民来往大陆通行证', en: 'Taiwan travel permit' },
          { value: 'foreign-permanent-residence', zh: '外国人永久居留身份证', en: 'Foreign permanent residence ID' },
        ],
      },
      { key: 'person.name', zh: '姓名', en: 'Name', input: 'text' },
      { key: 'person.document.number', zh: '证件号码', en: 'Document number', input: 'text', sensitive: true },
      {
        key: 'person.sex',
        zh: '性别',
        en: 'Sex',
        input: 'select',
        options: [
          { value: 'male', zh: '男', en: 'Male' },
          { value: 'female', zh: '女', en: 'Female' },
        ],
      },
    ],
  },
  {
    key: 'account',
    zh: '账号与联系方式',
    en: 'Account and contact',
    fields: [
      { key: 'account.accountName', zh: '账号名', en: 'Account name', input: 'text' },
      { key: 'account.password', zh: '密码', en: 'Password', input: 'password', sensitive: true },
      { key: 'account.passwordConfirmation', zh: '确认密码', en: 'Confirm password', input: 'password', sensitive: true },
      { key: 'person.mobile', zh: '手机号码', en: 'Mobile', input: 'text', sensitive: true },
      { key: 'person.email', zh: '电子邮箱', en: 'Email', input: 'text' },
    ],
  },
]

const entity: FormStep[] = [
  {
    key: 'unit',
    zh: '单位信息',
    en: 'Unit',
    fields: [
      {
        key: 'unit.entityType',
        zh: '单位类型',
        en: 'Entity type',
        input: 'select',
        options: [
          { value: 'enterprise', zh: '企业', en: 'Enterprise' },
          { value: 'public-institution', zh: '事业单位', en: 'Public institution' },
          { value: 'government-organ', zh: '机关', en: 'Government organ' },
          { value: 'social-organization', zh: '社会组织', en: 'Social organisation' },
        ],
      },
      { key: 'unit.name', zh: '单位名称', en: 'Unit name', input: 'text' },
      { key: 'unit.uscc', zh: '统一社会信用代码', en: 'Unified social credit code', input: 'text' },
    ],
  },
  {
    key: 'people',
    zh: '法定代表人与经办人',
    en: 'Legal representative and agent',
    fields: [
      { key: 'legalRepresentative.name', zh: '法定代表人姓名', en: 'Legal representative', input: 'text' },
      { key: 'legalRepresentative.document.number', zh: '法定代表人身份证号码', en: 'Their resident ID number', input: 'text', sensitive: true },
      { key: 'primaryAgent.name', zh: '经办人姓名', en: 'Primary agent', input: 'text' },
      { key: 'primaryAgent.mobile', zh: '经办人手机号码', en: 'Agent mobile', input: 'text', sensitive: true },
    ],
  },
]

/** The steps of a registration flow. */
export function formFor(kind: FlowKind): FormStep[] {
  return kind === 'natural-person' ? person : entity
}

/** Values the form starts with (the resident ID card is the usual document). */
export function initialValues(kind: FlowKind): Record<string, string> {
  return kind === 'natural-person'
    ? { 'person.document.docType': 'resident-id' }
    : { 'legalRepresentative.document.docType': 'resident-id' }
}
