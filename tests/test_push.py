"""The push client's own HTTP authentication (no server needed)."""

from __future__ import annotations

from maillage import push as push_module


def test_digest_header_matches_the_rfc_2617_example(monkeypatch):
    auth = push_module._Auth.__new__(push_module._Auth)
    auth.url, auth.user, auth.password, auth.timeout, auth.count = "http://h/dir", "Mufasa", "Circle Of Life", 5, 0
    auth.challenge = {"scheme": "digest", "realm": "testrealm@host.com", "qop": "auth,auth-int",
                      "nonce": "dcd98b7102dd2f0e8b11d0f600bfb0c093", "opaque": "5ccc069c403ebaf9f0171e9517f40e41"}
    monkeypatch.setattr(push_module.secrets, "token_hex", lambda n: "0a4f113b")
    header = auth.header("GET", "http://www.nowhere.org/dir/index.html")
    assert 'response="6629fae49393a05397450978507c4ef1"' in header
    assert "nc=00000001" in header and 'opaque="5ccc069c403ebaf9f0171e9517f40e41"' in header
    assert auth.header("GET", "http://www.nowhere.org/dir/index.html").count("nc=00000002") == 1


def test_basic_credentials_are_sent_up_front():
    auth = push_module._Auth.__new__(push_module._Auth)
    auth.user, auth.password, auth.count = "dba", "dba", 0
    auth.challenge = {"scheme": "basic", "realm": "x"}
    assert auth.header("PUT", "http://h/g") == "Basic ZGJhOmRiYQ=="


def test_no_challenge_no_header():
    auth = push_module._Auth.__new__(push_module._Auth)
    auth.challenge = None
    assert auth.header("PUT", "http://h/g") is None
