"""A minimal OpenID Connect provider on a local port, for driving st.login end to end in Chromium.

It signs in whoever asks as one fixed user: /authorize redirects straight back with a code, /token
answers with an RS256-signed ID token carrying the nonce it was given. No pytest here.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from joserfc import jwt
from joserfc.jwk import RSAKey


@dataclass
class FakeProvider:
    """The provider's address, its client and the user it signs in."""

    client_id: str
    client_secret: str
    user: dict[str, str]
    server: ThreadingHTTPServer
    key: RSAKey
    nonces: dict[str, str] = field(default_factory=dict)  # code -> nonce of its /authorize request

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def metadata_url(self) -> str:
        return f"{self.url}/.well-known/openid-configuration"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def start_provider(user: dict[str, str], client_id: str = "annotator") -> FakeProvider:
    key = RSAKey.generate_key(2048, parameters={"kid": "test-key", "use": "sig", "alg": "RS256"})
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    provider = FakeProvider(client_id, secrets.token_hex(16), user, server, key)
    server.provider = provider  # type: ignore[attr-defined]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return provider


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        pass

    @property
    def provider(self) -> FakeProvider:
        provider: FakeProvider = self.server.provider  # type: ignore[attr-defined]
        return provider

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        query = {name: values[0] for name, values in parse_qs(url.query).items()}
        base = self.provider.url
        if url.path == "/.well-known/openid-configuration":
            self._json(
                {
                    "issuer": base,
                    "authorization_endpoint": f"{base}/authorize",
                    "token_endpoint": f"{base}/token",
                    "jwks_uri": f"{base}/jwks",
                    "end_session_endpoint": f"{base}/logout",
                    "response_types_supported": ["code"],
                    "subject_types_supported": ["public"],
                    "id_token_signing_alg_values_supported": ["RS256"],
                }
            )
        elif url.path == "/jwks":
            self._json({"keys": [self.provider.key.as_dict(private=False)]})
        elif url.path == "/authorize":
            code = secrets.token_hex(8)
            self.provider.nonces[code] = query.get("nonce", "")
            self._redirect(f"{query['redirect_uri']}?{urlencode({'code': code, 'state': query['state']})}")
        elif url.path == "/logout":
            self._redirect(query.get("post_logout_redirect_uri", "/"))
        else:
            self.send_error(404)

    def do_POST(self) -> None:
        if urlsplit(self.path).path != "/token":
            self.send_error(404)
            return
        body = self.rfile.read(int(self.headers.get("Content-Length", "0"))).decode()
        form = {name: values[0] for name, values in parse_qs(body).items()}
        nonce = self.provider.nonces.pop(form.get("code", ""), None)
        if nonce is None:
            self._json({"error": "invalid_grant"}, status=400)
            return
        now = int(time.time())
        claims = {
            "iss": self.provider.url,
            "aud": self.provider.client_id,
            "sub": "user-1",
            "iat": now,
            "exp": now + 3600,
            "nonce": nonce,
            **self.provider.user,
        }
        id_token = jwt.encode({"alg": "RS256", "kid": "test-key"}, claims, self.provider.key)
        self._json({"access_token": secrets.token_hex(8), "token_type": "Bearer", "expires_in": 3600,
                    "id_token": id_token})  # fmt: skip

    def _json(self, data: dict[str, Any], status: int = 200) -> None:
        payload = json.dumps(data).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def _redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()
