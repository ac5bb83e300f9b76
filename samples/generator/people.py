"""Fictional people: names, GB 11643 ID numbers, addresses and relations."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
)
GIVEN_MALE = "建国志强海波德明文华永刚立新国庆振宇俊杰伟东晓军家豪宏伟建平学军春生德胜福林长青世昌"
GIVEN_FEMALE = "秀英桂兰玉梅淑珍丽娟红霞美玲春燕翠花雪梅晓燕慧敏静怡彩云金凤素芳"

# GB/T 2260 county codes used for birthplaces (first six ID digits).
LOCAL_CODES = {
    "linfen": ("141002", "141021", "141022", "141023", "141024", "141081", "141082"),
    "fangchenggang": ("450602", "450603", "450621", "450681"),
}
OTHER_CODES = ("140105", "140202", "130102", "410102", "450102", "370102", "610113", "440106")

ADDRESSES = {
    "linfen": ("山西省临汾市尧都区解放路{n}号", "山西省临汾市尧都区鼓楼南街{n}号院", "山西省洪洞县大槐树镇{v}村{n}号",
               "山西省襄汾县新城镇{v}村{n}号", "山西省侯马市新田路{n}号"),
    "fangchenggang": ("广西防城港市港口区渔洲坪路{n}号", "广西防城港市防城区江山乡{v}村{n}号",
                      "广西东兴市北仑大道{n}号", "广西上思县思阳镇{v}街{n}号"),
    "other": ("山西省太原市小店区平阳路{n}号", "河北省石家庄市长安区中山东路{n}号", "河南省郑州市中原区建设路{n}号",
              "广西南宁市兴宁区民生路{n}号", "山东省济南市历下区泉城路{n}号"),
}
VILLAGES = ("东关", "西街", "南庄", "北堡", "新民", "和平", "红星", "前进", "兴隆", "永安")
ETHNICITIES = ("汉",) * 12 + ("回", "壮", "满", "蒙古")
RELATIONS = ("子女", "配偶", "父母", "兄弟姐妹", "其他亲属")

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"


def check_digit(first17: str) -> str:
    """GB 11643 check character for the first 17 digits."""
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK[total % 11]


def make_id_number(rng: random.Random, area: str, birth: date, male: bool) -> str:
    """A valid 18-character ID number (fictional sequence number, correct check digit)."""
    seq = rng.randrange(0, 999)
    if (seq % 2 == 1) != male:
        seq = (seq + 1) % 1000 if seq < 999 else 998
    first17 = f"{area}{birth:%Y%m%d}{seq:03d}"
    return first17 + check_digit(first17)


def break_check_digit(id_number: str) -> str:
    """The same number with a wrong check character (the ID_NUMBER_INVALID defect)."""
    good = id_number[-1]
    wrong = [c for c in "0123456789X" if c != good]
    return id_number[:-1] + wrong[int(id_number[-5:-1]) % len(wrong)]


@dataclass(frozen=True)
class Person:
    """A fictional person and what their documents show."""

    name: str
    id_number: str
    male: bool
    birth: date
    ethnicity: str
    address: str
    phone: str

    @property
    def sex(self) -> str:
        return "男" if self.male else "女"

    def age_on(self, day: date) -> int:
        return day.year - self.birth.year - ((day.month, day.day) < (self.birth.month, self.birth.day))


def make_name(rng: random.Random, male: bool, surname: str | None = None) -> str:
    pool = GIVEN_MALE if male else GIVEN_FEMALE
    given = rng.choice(pool)
    if rng.random() < 0.75:
        given += rng.choice(pool)
    return (surname or rng.choice(SURNAMES)) + given


def make_person(
    rng: random.Random,
    region: str,
    *,
    local: bool = True,
    min_age: int = 35,
    max_age: int = 82,
    on: date = date(2025, 6, 1),
    surname: str | None = None,
    exclude_names: tuple[str, ...] = (),
) -> Person:
    """A fictional person born in ``region`` (or elsewhere when ``local`` is false)."""
    male = rng.random() < 0.52
    name = make_name(rng, male, surname)
    while name in exclude_names:
        name = make_name(rng, male, surname)
    age_days = rng.randrange(min_age * 365 + 30, max_age * 365)
    birth = on - timedelta(days=age_days)
    area = rng.choice(LOCAL_CODES[region] if local else OTHER_CODES)
    template = rng.choice(ADDRESSES[region if local else "other"])
    address = template.format(n=rng.randrange(1, 300), v=rng.choice(VILLAGES))
    phone = "1" + rng.choice("3578") + "".join(str(rng.randrange(10)) for _ in range(9))
    return Person(name, make_id_number(rng, area, birth, male), male, birth, rng.choice(ETHNICITIES), address, phone)


def mask_id(id_number: str) -> str:
    """First 6 and last 4 characters, the middle starred (SPEC section 3)."""
    if len(id_number) < 10:
        return "*" * len(id_number)
    return id_number[:6] + "*" * (len(id_number) - 10) + id_number[-4:]
