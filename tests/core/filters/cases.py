"""Queries and the corpus captures each must match: one table for the in-memory and the store path.

Expectations are written from the language's rules (see HELP), capture by capture.
"""

from __future__ import annotations

from tests.core.filters.corpus import NAMES

ALL = frozenset(NAMES)
POSTS = frozenset(
    {"stripe", "github", "shopify", "rejected", "big", "utf8", "array", "notjson", "bigint"}
)
JSON_BODIES = frozenset({"stripe", "github", "shopify", "rejected", "array", "bigint"})
OK_200 = frozenset({"stripe", "github", "big", "utf8", "array", "notjson", "bigint"})
UNDER_HOOKS = frozenset(
    {"stripe", "github", "shopify", "form", "rejected", "utf8", "notjson", "dup"}
)


def _set(*names: str) -> frozenset[str]:
    return frozenset(names)


CASES: list[tuple[str, frozenset[str]]] = [
    # empty
    ("", ALL),
    ("   ", ALL),
    # free text: path (with query) or body, any case
    ("stripe", _set("stripe", "rejected")),
    ("STRIPE", _set("stripe", "rejected")),
    ("hooks", UNDER_HOOKS),
    ("declined", _set("form", "notjson")),
    ('"card declined"', _set("notjson")),
    ("needle", _set("big")),
    ("KÖLN", _set("utf8")),
    ("GRÜẞE", _set("utf8")),
    ("ümlaut", _set("utf8")),  # the decoded path
    ("form?name", _set("form")),  # the query string counts as path
    ("stripe declined", frozenset()),
    # method
    ("method:POST", POSTS),
    ("method:get", _set("plain")),
    ("METHOD:Put,DELETE", _set("form", "dup")),
    ("-method:POST", ALL - POSTS),
    # path: whole-path glob, case-sensitive
    ("path:/hooks/*", UNDER_HOOKS - {"form"}),
    ("path:/Hooks/*", _set("form")),
    ("path:/HOOKS/*", frozenset()),
    ("path:/hooks/stripe", _set("stripe", "rejected")),
    ("path:/hooks/*/orders", _set("shopify")),
    ("path:/hooks/??????", _set("stripe", "rejected", "github", "utf8")),
    ("path:*xml", _set("notjson")),
    ('path:"/hooks/a*"', frozenset()),  # quoted: a literal star
    ('path:"/hooks/a*b"', _set("dup")),
    ("path:/hooks/a", frozenset()),
    # status
    ("status:200", OK_200),
    ("status:>=400", _set("shopify", "plain", "rejected")),
    ("status:<300", OK_200 | {"form", "dup"}),
    ("status:5xx", _set("shopify")),
    ("status:4XX", _set("plain", "rejected")),
    ("status:200..204", OK_200 | {"form", "dup"}),
    ("status:204,202", _set("form", "dup")),
    ("status:!=200", ALL - OK_200),
    ("status:>401,<=200", OK_200 | {"shopify", "plain"}),
    # header: name in any case, value exact or glob and case-sensitive, or a regex
    ("header:x-github-event", _set("github")),
    ("header:X-GITHUB-EVENT=push", _set("github")),
    ("header:x-github-event=Push", frozenset()),
    ("header:x-*-event", _set("github")),
    ("header:content-type=application/json", JSON_BODIES - {"rejected"}),
    ("header:content-type=application/json*", JSON_BODIES),
    ('header:content-type="application/json*"', frozenset()),
    ("header:x-dup=two", _set("dup")),
    ("header:x-dup", _set("dup")),
    ("header:user-agent~^GitHub-", _set("github")),
    ("header:user-agent~^github-", frozenset()),
    ('header:user-agent~"(?i)^github-(hook|x)"', _set("github")),
    ("-header:content-type", _set("plain", "dup")),
    # event type: glob, any case
    ("type:payment_intent.*", _set("stripe")),
    ("type:PUSH", _set("github")),
    ("type:orders/*", _set("shopify")),
    ("type:*.failed", _set("rejected")),
    ('type:""', ALL - {"stripe", "github", "shopify", "rejected"}),
    # content type
    ("ctype:*json", JSON_BODIES),
    ("ctype:TEXT/PLAIN", _set("big", "utf8")),
    # size
    ("size:0", _set("plain", "dup")),
    ("size:20k", _set("big")),
    ("size:>20k", frozenset()),
    ("size:>=0.5KB", _set("big")),
    ("size:<1k", ALL - {"big"}),
    ("size:1..20480b", ALL - {"plain", "dup"}),
    # body text only
    ('body:"card declined"', _set("notjson")),
    ("body:DECLINED", _set("form", "notjson")),
    ("body:stripe", frozenset()),
    ("body:ümlaut", frozenset()),
    # json: exists, compare, numbers vs strings, arrays, missing paths, non-JSON bodies
    ("json:$", JSON_BODIES),
    ("json:$.data.object.id", _set("stripe")),
    ("json:$.data.object.missing", frozenset()),
    ("json:$.amount>1000", _set("stripe")),
    ("json:$.amount>=99", _set("stripe", "rejected")),
    ("json:amount<100", _set("rejected")),
    ("json:$.amount<=5000", _set("stripe", "rejected")),  # not the XML <amount>
    ("-json:$.amount", ALL - {"stripe", "rejected"}),
    ("json:$.event=order_created", _set("shopify")),
    ("json:$.event==order_created", _set("shopify")),
    ("json:$.event=ORDER_CREATED", frozenset()),
    ("json:$.event!=order_created", frozenset()),
    ("json:$.event!=refund", _set("shopify")),
    ("json:$.id=1000", _set("shopify")),  # unquoted numbers also match the same text
    ('json:$.id="1000"', _set("shopify")),
    ("json:$.count=3", _set("shopify")),
    ("json:$.count=3.0", _set("shopify")),
    ('json:$.count="3"', frozenset()),  # quoted: text only
    ("json:$.total>5", frozenset()),  # a string is not compared with a number
    ('json:$.total>"10"', _set("shopify")),  # text compares as text
    ('json:$.total<"2"', _set("shopify")),  # as text, "19.99" < "2"
    ("json:$.event>order", _set("shopify")),  # unquoted, what is not a number is text
    ("json:$.tags=urgent", _set("github")),  # an array stands for its elements
    ("json:$.tags!=urgent", frozenset()),
    ("json:$.tags!=release", _set("github")),
    ("json:$.commits[*].id=b", _set("github")),
    ("json:$.commits[1].id=a", frozenset()),
    ("json:$[*].type=b", _set("array")),
    ("json:$[?@.type=='b'].amount=5", _set("array")),
    ("json:$[?@.type == 'b' && @.amount > 4]", _set("array")),
    ("json:$..amount>4000", _set("stripe")),
    ("json:$['data']['object'].amount=4200", _set("stripe")),
    ("json:$.id=123456789012345678901234567890", _set("bigint")),  # exact past 64 bits
    ("json:$.id>123456789012345678901234567889", _set("bigint")),
    ("json:$.id=123456789012345678901234567891", frozenset()),
    ("json:$.flag=true", _set("bigint")),
    ("json:$.flag=1", frozenset()),  # true is not a number
    ("json:$.none=null", _set("bigint")),
    ("json:$.neg<0", _set("bigint")),
    ("json:$.ratio=0.5", _set("bigint")),
    ("json:$.ratio>=5e-1", _set("bigint")),
    ("json:$.type~^payment", _set("stripe")),
    ("json:$.amount~42", frozenset()),  # regexes test strings only
    ("json:$.type~^PAYMENT", frozenset()),
    # is:, remote:, id:
    ("is:starred", _set("shopify")),
    ("IS:STARRED", _set("shopify")),
    ("is:rejected", _set("rejected")),
    ("remote:127.0.0.1", ALL - {"github", "shopify"}),
    ("remote:127.0.0.1:5000", ALL - {"github", "shopify"}),
    ("remote:10.0.*", _set("github")),
    ("remote:::1", _set("shopify")),
    ("id:3", _set("shopify")),
    ("id:>10", _set("bigint", "dup")),
    ("id:2..3", _set("github", "shopify")),
    # combining: juxtaposition is AND, AND binds tighter than OR, NOT and -, parentheses
    ("method:POST status:>=400", _set("shopify", "rejected")),
    ("method:POST AND status:>=400", _set("shopify", "rejected")),
    ("method:POST and status:>=400", _set("shopify", "rejected")),
    ("method:GET OR status:5xx", _set("plain", "shopify")),
    ("method:GET or status:5xx", _set("plain", "shopify")),
    ("is:starred OR method:GET status:404", _set("shopify", "plain")),
    ("(is:starred OR method:GET) status:404", _set("plain")),
    ("status:404 OR is:rejected OR needle", _set("plain", "rejected", "big")),
    ("hooks status:500 OR needle", _set("shopify", "big")),
    ("NOT method:POST", ALL - POSTS),
    ("not (method:post or status:5xx)", _set("form", "plain", "dup")),
    ("--method:GET", _set("plain")),
    ("NOT -method:GET", _set("plain")),
    ("-(status:200 OR status:204)", _set("shopify", "plain", "rejected", "dup")),
    ("stripe -is:rejected", _set("stripe")),
    ("((method:GET))", _set("plain")),
    ("(type:push OR json:$.amount>1000) -body:refs", _set("stripe")),
    ('"OR"', _set("shopify", "form", "notjson")),  # quoted keywords are text: orders, form, error
    # signatures: with no signature settings nothing is checked (see test_sig_filter.py)
    ("sig:unchecked", ALL),
    ("sig:valid OR sig:invalid", frozenset()),
]
