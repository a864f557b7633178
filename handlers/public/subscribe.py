"""The subscription pages under the status page's path (registered by `routes.register`).

    GET/POST {path}/subscribe                  the form (a form token, and an Origin check)
    GET/POST {path}/subscribe/confirm/{token}  a page with a button; only the POST confirms
    GET/POST {path}/subscription/{key}         change components or unsubscribe (POST); an RFC
                                               8058 `List-Unsubscribe=One-Click` POST unsubscribes

A GET never changes anything (link scanners follow GETs). Every page is HTML with autoescape,
`no-store`, no referrer beyond our origin (the links are capabilities) and a CSP that allows only our own form
targets. Confirmation e-mails are sent after the answer, by the app's task tracker.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

from aiohttp import web

from bot.errors import Invalid
from bot.policy.status_components import ordered
from bot.services.core import Core
from bot.subscriptions.forms import components_of, parse_subscribe
from bot.subscriptions.service import BLOCKED, LIMITED, SubscriptionService
from bot.subscriptions.tokens import signer_for

MAX_BODY = 16 * 1024
HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "same-origin",  # no-referrer would make browsers post `Origin: null`
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'",
}


class SubscriptionPages:
    def __init__(self, core: Core, service: SubscriptionService, path: str) -> None:
        self.core, self.service, self.path = core, service, path
        self.env = core.templates.markup_environment()
        base = urlsplit(core.policy.status_page.base_url)
        self.origin = f"{base.scheme}://{base.netloc}"

    def page(self, view: str, title: str, status: int = 200, **values: Any) -> web.Response:
        policy = self.core.policy
        body = self.env.get_template("status/subscribe.html.j2").render(
            view=view,
            title=title,
            name=policy.status_page.name,
            accent=policy.status_page.accent_colour,
            page_url=self.path or "/",
            subscribe_url=f"{self.path}/subscribe",
            components=ordered(policy.status_page.components),
            hours=max(1, round(policy.subscriptions.link_lifetime.total_seconds() / 3600)),
            **values,
        )
        return web.Response(text=body, status=status, content_type="text/html", headers=HEADERS)

    def form(self, error: str = "", status: int = 200) -> web.Response:
        token = self.service.signer.form_token(self.core.clock.now())
        action = f"{self.path}/subscribe"
        return self.page(
            "form", "Subscribe to updates", status, error=error, form_token=token, form_action=action
        )

    async def show_form(self, request: web.Request) -> web.Response:
        return self.form()

    async def subscribe(self, request: web.Request) -> web.Response:
        fields = await _fields(request)
        token = (fields.get("form_token") or [""])[0]
        if not _same_origin(request, self.origin) or not self.service.signer.form_token_valid(
            token, self.core.clock.now()
        ):
            self.service.count("bad_form", "-")
            return self.form("The form has expired. Please try again.", 400)
        try:
            chosen = parse_subscribe(fields, self.core.policy)
        except Invalid as error:
            return self.form(" ".join(error.fields.values()), 400)
        requested = await self.service.request(chosen.address, chosen.components, request.remote or "")
        if requested.outcome == BLOCKED:
            return self.form("We cannot send e-mail to addresses on this domain.", 400)
        if requested.outcome == LIMITED:
            return self.page("limited", "Please try again later", 429)
        if requested.mail is not None:
            self.core.tracker.spawn(self.service.send(requested), name="subscription-confirmation")
        return self.page("sent", "Check your inbox")

    async def show_confirm(self, request: web.Request) -> web.Response:
        pending = await self.service.pending(request.match_info["token"])
        if pending is None:
            return self.page("invalid", "This link is not valid", 404)
        chosen = self._names(pending.components)
        return self.page("confirm", "Confirm your subscription", chosen=chosen, form_action=request.path)

    async def confirm(self, request: web.Request) -> web.Response:
        if not _same_origin(request, self.origin):
            raise web.HTTPForbidden(headers=HEADERS)
        if await self.service.confirm(request.match_info["token"]) is None:
            return self.page("invalid", "This link is not valid", 404)
        return self.page("confirmed", "Subscription confirmed")

    async def show_manage(self, request: web.Request) -> web.Response:
        found = await self.service.subscriber(request.match_info["key"])
        if found is None:
            return self.page("invalid", "This link is not valid", 404)
        return self.page("manage", "Your subscription", chosen_ids=found.components, form_action=request.path)

    async def manage(self, request: web.Request) -> web.Response:
        fields, key = await _fields(request), request.match_info["key"]
        if fields.get("List-Unsubscribe") == ["One-Click"]:
            await self.service.unsubscribe(key)  # RFC 8058: no page, no Origin (the mail provider posts)
            return web.Response(status=200, text="Unsubscribed.\n", headers=HEADERS)
        if not _same_origin(request, self.origin):
            raise web.HTTPForbidden(headers=HEADERS)
        if (fields.get("action") or [""])[0] == "unsubscribe":
            if not await self.service.unsubscribe(key):
                return self.page("invalid", "This link is not valid", 404)
            return self.page("unsubscribed", "Unsubscribed")
        try:
            components = components_of(fields, self.core.policy)
        except Invalid:
            return await self.show_manage(request)
        if not await self.service.change(key, components):
            return self.page("invalid", "This link is not valid", 404)
        return self.page("changed", "Subscription saved", chosen=self._names(components))

    def _names(self, components: list[str]) -> list[str]:
        known = self.core.policy.status_page.components
        return [known[c].name for c in components if c in known]


async def _fields(request: web.Request) -> dict[str, list[str]]:
    """The urlencoded form, bounded; anything else reads as an empty form."""
    if request.content_length is not None and request.content_length > MAX_BODY:
        raise web.HTTPRequestEntityTooLarge(max_size=MAX_BODY, actual_size=request.content_length)
    if request.content_type != "application/x-www-form-urlencoded":
        return {}
    body = await request.content.read(MAX_BODY + 1)
    if len(body) > MAX_BODY:
        raise web.HTTPRequestEntityTooLarge(max_size=MAX_BODY, actual_size=len(body))
    try:
        return parse_qs(body.decode("utf-8", "replace"), max_num_fields=250)
    except ValueError:  # too many fields
        return {}


def _same_origin(request: web.Request, public: str) -> bool:
    """No Origin header (older browsers send none on a same-origin form post), or our own origin:
    the public base URL's, or the one the request came to. A cross-site post always has one."""
    origin = request.headers.get("Origin")
    if origin is None:
        return True
    return origin in (public, f"{request.scheme}://{request.host}")


def register(app: web.Application, core: Core, path: str) -> None:
    """The routes, when the policy turns subscriptions on (`path`: the status page's, no trailing /)."""
    signer = signer_for(core.policy)
    if signer is None:
        return
    smtp = core.external.mailer.config if core.external.mailer is not None else None
    service = SubscriptionService(
        core.db, core.policy, core.clock, signer, core.templates, smtp, core.metrics
    )
    pages = SubscriptionPages(core, service, path)
    app.router.add_get(f"{path}/subscribe", pages.show_form)
    app.router.add_post(f"{path}/subscribe", pages.subscribe)
    token = "{token:[0-9a-f.]{1,120}}"
    app.router.add_get(f"{path}/subscribe/confirm/{token}", pages.show_confirm)
    app.router.add_post(f"{path}/subscribe/confirm/{token}", pages.confirm)
    app.router.add_get(f"{path}/subscription/{{key:[0-9a-f]{{64}}}}", pages.show_manage)
    app.router.add_post(f"{path}/subscription/{{key:[0-9a-f]{{64}}}}", pages.manage)
