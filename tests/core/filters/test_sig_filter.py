"""sig: finds captures by their signature verdict under the signature settings given."""

from __future__ import annotations

from pathlib import Path

import pytest

from hookscope.core.filters import FilterError, compile_filter
from hookscope.core.model import Capture
from hookscope.core.signature_settings import SignatureSetting, SignatureSettings
from hookscope.core.signing import SCHEMES
from hookscope.core.store import Store
from hookscope.core.store.filtering import select_ids
from tests.core.factories import make_capture

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
BODY = b'{"type":"invoice.paid"}'
RECEIVED_US = 1_795_000_000_000_000


def _signed(path: str, body: bytes = BODY, secret: str = SECRET) -> Capture:
    headers = SCHEMES["stripe"].sign(body, secret, timestamp=RECEIVED_US // 1_000_000)
    return make_capture(target=path, body=BODY, headers=tuple(headers), received_us=RECEIVED_US)


CAPTURES = {
    "good": _signed("/pay/good"),
    "forged": _signed("/pay/forged", secret="whsec_" + "A" * 32),
    "unsigned": make_capture(target="/pay/none", body=BODY, received_us=RECEIVED_US),
    "elsewhere": _signed("/other"),
}
SETTINGS = SignatureSettings([SignatureSetting("/pay/*", "stripe", (SECRET,))], Path("x.json"))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("sig:valid", {"good"}),
        ("sig:invalid", {"forged", "unsigned"}),
        ("sig:unchecked", {"elsewhere"}),
        ("sig:bad-signature", {"forged"}),
        ("sig:missing-header", {"unsigned"}),
        ("-sig:valid path:/pay/*", {"forged", "unsigned"}),
        ("SIG:Valid", {"good"}),
    ],
)
def test_sig_matches_by_verdict(query: str, expected: set[str]) -> None:
    flt = compile_filter(query, signatures=SETTINGS)
    assert {name for name, c in CAPTURES.items() if flt.matches_capture(c)} == expected


def test_sig_in_bulk_reads_the_store(tmp_path: Path) -> None:
    with Store.open(tmp_path / "c.db") as store:
        stored = store.add_many(list(CAPTURES.values()))
        ids = {name: c.id for name, c in zip(CAPTURES, stored, strict=True)}
        flt = compile_filter("sig:valid OR sig:bad-signature", signatures=SETTINGS)
        found = select_ids(store, flt, store.all_summaries())
        assert set(found) == {ids["good"], ids["forged"]}


def test_without_settings_nothing_is_checked() -> None:
    flt = compile_filter("sig:unchecked")
    assert all(flt.matches_capture(c) for c in CAPTURES.values())


def test_an_unknown_verdict_is_named() -> None:
    with pytest.raises(FilterError) as caught:
        compile_filter("sig:vaild")
    assert "did you mean sig:valid" in str(caught.value)
    assert caught.value.position == 4


def test_help_tells_signatures_from_rejections() -> None:
    from hookscope.core.filters import HELP

    assert "sig:invalid" in HELP
    assert "signature" not in next(line for line in HELP.splitlines() if "is:rejected" in line)
