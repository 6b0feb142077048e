"""A small HTTP client for a served instance: cookies kept by name, redirects not followed, and
every request sent as the TLS-ending reverse proxy forwards it (X-Forwarded-Proto: https)."""

from __future__ import annotations

import http.client
import re
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def header(self, name: str) -> str:
        return self.headers.get(name, "")


@dataclass
class Browser:
    port: int
    proxied: bool = True
    cookies: dict[str, str] = field(default_factory=dict)
    set_cookies: list[str] = field(default_factory=list)

    def request(self, method: str, path: str, *, data=None, headers=None) -> Answer:
        sent = {"Host": "127.0.0.1", **(headers or {})}
        if self.proxied:
            sent["X-Forwarded-Proto"] = "https"
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
            sent["Referer"] = f"https://127.0.0.1{path}"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            answer = Answer(response.status, response.headers, response.read())
        finally:
            connection.close()
        for raw in answer.headers.get_all("Set-Cookie") or []:
            self.set_cookies.append(raw)
            for name, morsel in SimpleCookie(raw).items():
                if morsel.value:
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)
        return answer

    def get(self, path: str, **kwargs) -> Answer:
        return self.request("GET", path, **kwargs)

    def post_form(self, path: str, data: dict) -> Answer:
        """Posts a form the way a browser does: the page first, then its CSRF token."""
        page = self.get(path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        assert token, f"no CSRF token in {path} ({page.status})"
        return self.request("POST", path, data={"csrfmiddlewaretoken": token[1], **data})

    def sign_in(self, username: str, password: str) -> Answer:
        answer = self.post_form("/connexion/", {"username": username, "password": password})
        assert answer.status == 302, f"sign-in of {username}: {answer.status}"
        return answer
