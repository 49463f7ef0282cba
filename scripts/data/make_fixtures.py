#!/usr/bin/env python3
"""Writes tests/fixtures/applications/<profile>-<kind>.json: one made-up, valid application
for every flow of every built-in profile. Check characters are computed here; the Rust test
`fixtures_validate_clean` (crates/kiosk-core/tests/fixtures.rs) proves each file is valid.

Run from the repository root: python3 scripts/data/make_fixtures.py
"""
import json
import pathlib

OUT = pathlib.Path("tests/fixtures/applications")
MB = 1024 * 1024


def resident_id(area, birth, seq):
    """area '110105', birth 'YYYYMMDD', seq 3 digits (odd male, even female)."""
    body = f"{area}{birth}{seq}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(int(d) * w for d, w in zip(body, weights))
    return body + "10X98765432"[total % 11]


ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def uscc(category, area, org_body):
    """category '91', area '120116', org_body 8 chars (GB 11714 check appended)."""
    values = [int(c) if c.isdigit() else ord(c) - ord("A") + 10 for c in org_body]
    c9 = 11 - sum(v * w for v, w in zip(values, [3, 7, 9, 10, 5, 8, 4, 2])) % 11
    org_check = {10: "X", 11: "0"}.get(c9, str(c9))
    first17 = f"{category}{area}{org_body}{org_check}"
    weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    total = sum(ALPHABET.index(c) * w for c, w in zip(first17, weights))
    return first17 + ALPHABET[(31 - total % 31) % 31]


PASSWORD = "Kiosk#2026a"


def account(name=None, sms=True):
    acc = {"password": PASSWORD, "passwordConfirmation": PASSWORD}
    if name:
        acc["accountName"] = name
    if sms:
        acc["smsCode"] = "246810"
    return acc


def person(name, number, mobile=None, validity=None, **extra):
    doc = {"docType": "resident-id", "number": number}
    if validity:
        doc["validity"] = {"from": validity[0], "until": validity[1]}
    p = {"name": name, "document": doc}
    if mobile:
        p["mobile"] = mobile
    p.update(extra)
    return p


def attachment(slot, name, media, size):
    return {"slot": slot, "fileName": name, "mediaType": media, "sizeBytes": size}


# People (all made up). Validity terms follow the holder's age at issue.
WANG = resident_id("410105", "19780312", "351")  # male, 20-year card issued at 39
LI = resident_id("410102", "19850621", "442")  # female
ZHAO = resident_id("120101", "19820915", "573")  # male
CHEN = resident_id("120116", "19900108", "284")  # female
SUN = resident_id("370102", "19880430", "615")  # male
ZHOU = resident_id("370102", "19690711", "026")  # female
WU = resident_id("110108", "19920203", "137")  # male
ZHENG = resident_id("110108", "19700819", "248")  # female

fixtures = {
    "zhengzhou-natural-person": {
        "profile": "zhengzhou", "kind": "natural-person",
        "account": account("wangjianguo"),
        "person": person("王建国", WANG, "13837100001", sex="male", ethnicity="01", email="wangjg@example.com"),
        "unitName": "郑州示例科技有限公司", "position": "研发主管", "professionalTitle": "高级工程师",
        "skipRealName": True,
    },
    "zhengzhou-legal-entity": {
        "profile": "zhengzhou", "kind": "legal-entity",
        "account": account("zzshili"),
        "unit": {"name": "郑州示例科技有限公司", "entityType": "enterprise",
                 "uscc": uscc("91", "410105", "MA9F3K2L"), "contactName": "李秀英",
                 "contactMobile": "13837100002", "email": "office@example.com",
                 "registeredAddress": {"divisionCode": "410105", "detail": "金水路 100 号 8 层"}},
        "legalRepresentative": person("王建国", WANG, "13837100001"),
        "primaryAgent": person("李秀英", LI, "13837100002", email="lixy@example.com"),
    },
    "zhengzhou-expert": {
        "profile": "zhengzhou", "kind": "expert",
        "account": account("lixiuying"),
        "person": person("李秀英", LI, "13837100002", sex="female", email="lixy@example.com"),
        "workUnit": "郑州示例大学", "professionalTitle": "教授", "specialty": "材料科学",
    },
    "zhengzhou-legacy-binding": {
        "profile": "zhengzhou", "kind": "legacy-binding",
        "userType": "expert", "mobile": "13837100002", "smsCode": "135790",
        "hasUnboundExpertAccount": True,
    },
    "zhengzhou-real-name": {
        "profile": "zhengzhou", "kind": "real-name", "subject": "natural-person",
        "person": person("王建国", WANG, sex="male", ethnicity="01"),
    },
    "tianjin-natural-person": {
        "profile": "tianjin", "kind": "natural-person",
        "account": account("chen_jing90"),
        "person": person("陈静", CHEN, "13920200004", validity=("2016-05-20", "2036-05-20")),
        "unitName": "天津示例新材料有限公司",
    },
    "tianjin-legal-entity": {
        "profile": "tianjin", "kind": "legal-entity",
        "account": account("tjshili2021", sms=False),
        "unit": {"name": "天津示例新材料有限公司", "entityType": "enterprise",
                 "uscc": uscc("91", "120116", "MA07R4CN"), "nature": "有限责任公司",
                 "contactName": "陈静", "contactMobile": "13920200004", "email": "contact@example.com",
                 "supervisingDepartment": "天津市滨海新区科学技术局",
                 "registeredAddress": {"divisionCode": "120116", "detail": "经济技术开发区第三大街 51 号"},
                 "locatedAddress": {"divisionCode": "120101", "detail": "南京路 181 号 12 层"},
                 "bankAccount": {"holder": "天津示例新材料有限公司", "bank": "示例银行天津滨海支行",
                                 "number": "6222 0200 0300 4005 006"}},
        "legalRepresentative": person("赵磊", ZHAO, "13920200003", validity=("2012-09-01", "2032-09-01")),
        "attachments": [
            attachment("business-licence", "营业执照.pdf", "application/pdf", 2 * MB),
            attachment("risk-commitment", "风险承诺书.docx",
                       "application/vnd.openxmlformats-officedocument.wordprocessingml.document", 850_000),
            attachment("bank-account-permit", "开户许可证.jpg", "image/jpeg", 1_200_000),
        ],
    },
    "shandong-natural-person": {
        "profile": "shandong", "kind": "natural-person",
        "account": account(),
        "person": person("孙浩", SUN, "15053100005", email="sunhao@example.com"),
    },
    "shandong-legal-entity": {
        "profile": "shandong", "kind": "legal-entity",
        "account": account(),
        "unit": {"name": "济南示例软件股份有限公司", "entityType": "enterprise",
                 "uscc": uscc("91", "370102", "MA3C8P1D")},
        "legalRepresentative": person("周敏", ZHOU, "15053100006"),
    },
    "shandong-legacy-binding": {
        "profile": "shandong", "kind": "legacy-binding", "userType": "applicant-person",
        "legacyAccountName": "sunhao1988", "legacyPassword": "old-Pass-1988",
        "person": person("孙浩", SUN),
    },
    "shandong-real-name": {
        "profile": "shandong", "kind": "real-name", "subject": "natural-person",
        "person": person("孙浩", SUN, "15053100005"),
    },
    "most-natural-person": {
        "profile": "most", "kind": "natural-person",
        "account": account("wu_tao1992"),
        "person": person("吴涛", WU, "18610100007", validity=("2019-03-01", "2039-03-01"),
                         sex="male", ethnicity="01", birthDate="1992-02-03"),
    },
    "most-legal-entity": {
        "profile": "most", "kind": "legal-entity",
        "account": account("bjshili_tech"),
        "unit": {"name": "北京示例智能科技有限公司", "region": "domestic", "entityType": "enterprise",
                 "uscc": uscc("91", "110108", "MA01T7QX")},
        "legalRepresentative": person("郑芳", ZHENG, "18610100008", validity=("2016-09-01", "long-term")),
        "primaryAgent": person("吴涛", WU, "18610100007", validity=("2019-03-01", "2039-03-01")),
    },
    "most-legacy-binding": {
        "profile": "most", "kind": "legacy-binding", "userType": "applicant-unit",
        "legacyAccountName": uscc("91", "110108", "MA01T7QX"),
    },
    "most-real-name": {
        "profile": "most", "kind": "real-name", "subject": "legal-entity",
        "person": person("郑芳", ZHENG, "18610100008", validity=("2016-09-01", "long-term")),
        "unit": {"name": "北京示例智能科技有限公司", "entityType": "enterprise",
                 "uscc": uscc("91", "110108", "MA01T7QX")},
        "manualFallback": False,
    },
    "most-password-reset-appeal": {
        "profile": "most", "kind": "password-reset-appeal", "subject": "natural-person",
        "person": person("吴涛", WU, "18610100009", validity=("2019-03-01", "2039-03-01")),
        "smsCode": "975310",
        "attachments": [
            attachment("id-front", "id-front.jpg", "image/jpeg", 420_000),
            attachment("id-back", "id-back.png", "image/png", 380_000),
        ],
    },
}

OUT.mkdir(parents=True, exist_ok=True)
for name, body in fixtures.items():
    (OUT / f"{name}.json").write_text(json.dumps(body, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
print(f"{len(fixtures)} fixtures written to {OUT}")
