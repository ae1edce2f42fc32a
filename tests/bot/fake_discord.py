"""A small local Discord: enough REST API v10 and gateway for discord.py to run against.

The real discord.py client talks to it over real HTTP and a real websocket on
127.0.0.1; nothing in discord.py is patched. Every REST request is recorded
so tests can assert on what the bot sent, and helpers inject gateway events
(MESSAGE_CREATE, INTERACTION_CREATE) the way Discord would deliver them.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from aiohttp import WSMsgType, web

from tests.bot.fake_guild import (
    FLAG_MESSAGE_CONTENT,
    FLAG_MESSAGE_CONTENT_LIMITED,
    INTENT_MESSAGE_CONTENT,
    MENTION_RE,
    ROLE_MENTION_RE,
    FakeChannel,
    FakeGuild,
    FakeUser,
)

WAIT_SECONDS = 5.0  # the longest any helper waits for the bot


@dataclass
class Request:
    """One REST request the bot made."""

    method: str
    path: str  # without the /api/v10 prefix
    query: dict[str, str]
    json: Any
    headers: dict[str, str]
    made: int | None = None  # the id of the message this request made, if it made one


def _json_response(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    # discord.py only decodes bodies whose Content-Type is exactly application/json,
    # and aiohttp's json_response appends "; charset=utf-8", so build the reply by hand.
    response = web.Response(body=json.dumps(data).encode(), status=status, headers=headers or {})
    response.headers["Content-Type"] = "application/json"
    return response


class FakeDiscord(FakeGuild):
    """The server: REST routes, the gateway websocket, and helpers to drive and inspect them."""

    def __init__(self, *, token: str = "test-token", app_flags: int = 0) -> None:
        super().__init__()
        self.token = token
        self.app_flags = app_flags
        self.requests: list[Request] = []
        self.identifies: list[dict[str, Any]] = []
        self.resumes: list[dict[str, Any]] = []
        self.commands: dict[int | None, list[dict[str, Any]]] = {}  # guild id (None: global) → commands
        self.attachments: dict[int, bytes] = {}
        self.downloads: list[int] = []  # the attachment id of every download, in order
        self.rate_limits: list[tuple[str, str, float]] = []  # (method, path prefix, retry_after): one 429 each
        self.failures: list[tuple[str, str, int]] = []  # (method, path prefix, status): one error each
        self.messages: dict[int, dict[str, Any]] = {}  # every message sent by anyone, by id (GET serves them)
        self._made: int | None = None  # the message the request being routed made
        self.threads: dict[int, dict[str, Any]] = {}  # threads the bot opened, by id
        self.shards = 1  # what GET /gateway/bot recommends
        self._interaction_channels: dict[str, int] = {}  # interaction token → its channel (where follow-ups go)
        self._ws: web.WebSocketResponse | None = None
        self._shard_sockets: dict[int, web.WebSocketResponse] = {}  # shard id → its socket, for sharded bots
        self._shard_count = 1
        self._seq = 0
        self._session_id = "session-1"
        self._intents = 0
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self.url = ""

    # -- lifecycle --------------------------------------------------------

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("GET", "/gateway", self._gateway)
        app.router.add_route("GET", "/attachments/{id}/{name}", self._attachment)
        app.router.add_route("*", "/api/v10/{path:.*}", self._rest)
        self._runner = web.AppRunner(app, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"

    async def close(self) -> None:
        if self._ws is not None and not self._ws.closed:
            await self._ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def api(self) -> str:
        return self.url + "/api/v10"

    @property
    def gateway_url(self) -> str:
        return self.url.replace("http://", "ws://") + "/gateway"

    # -- waiting ----------------------------------------------------------

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    async def wait_until(self, check: Callable[[], Any], timeout: float = WAIT_SECONDS) -> Any:
        """Wait until check() returns something truthy, and return it."""

        async def _wait() -> Any:
            async with self._changed:
                while not (result := check()):
                    await self._changed.wait()
                return result

        return await asyncio.wait_for(_wait(), timeout)

    async def wait_for_request(
        self, method: str, path_re: str, *, after: int = 0, timeout: float = WAIT_SECONDS
    ) -> Request:
        """Wait for a request (from index `after` on) whose method and path match."""
        pattern = re.compile(path_re)

        def _find() -> Request | None:
            for request in self.requests[after:]:
                if request.method == method and pattern.fullmatch(request.path):
                    return request
            return None

        return await self.wait_until(_find, timeout)

    async def wait_connected(self, *, identifies: int = 1, resumes: int = 0, timeout: float = WAIT_SECONDS) -> None:
        """Wait until the bot has identified (and resumed) at least that many times."""
        await self.wait_until(lambda: len(self.identifies) >= identifies and len(self.resumes) >= resumes, timeout)

    # -- gateway ----------------------------------------------------------

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self._ws = self._ws if self._ws is not None and not self._ws.closed else ws
        await ws.send_json({"op": 10, "d": {"heartbeat_interval": 41250}, "s": None, "t": None})
        async for message in ws:
            if message.type != WSMsgType.TEXT:
                break
            await self._on_gateway(ws, json.loads(message.data))
        return ws

    async def _on_gateway(self, ws: web.WebSocketResponse, payload: dict[str, Any]) -> None:
        op, data = payload.get("op"), payload.get("d")
        if op == 1:
            await ws.send_json({"op": 11, "d": None, "s": None, "t": None})
        elif op == 2:
            await self._identify(ws, data)
        elif op == 6:
            self.resumes.append(data)
            if data.get("session_id") == self._session_id and data.get("token") == self.token:
                await self._dispatch("RESUMED", {}, ws)
            else:
                await ws.send_json({"op": 9, "d": False, "s": None, "t": None})
            await self._notify()

    async def _identify(self, ws: web.WebSocketResponse, data: dict[str, Any]) -> None:
        if data.get("token") != self.token:
            await ws.close(code=4004)
            return
        self._intents = int(data.get("intents", 0))
        granted = self.app_flags & (FLAG_MESSAGE_CONTENT | FLAG_MESSAGE_CONTENT_LIMITED)
        if self._intents & INTENT_MESSAGE_CONTENT and not granted:
            await ws.close(code=4014)  # Disallowed intent(s)
            return
        self._session_id = f"session-{len(self.identifies) + 1}"
        self._seq = 0
        shard = data.get("shard")  # [id, count] from a sharded bot
        shard_id, count = (int(shard[0]), int(shard[1])) if shard else (0, 1)
        # Discord puts a guild on shard (guild_id >> 22) % count.
        owns_guild = (self.guild_id >> 22) % count == shard_id
        self._shard_sockets[shard_id], self._shard_count = ws, count
        if owns_guild:
            self._ws = ws
        ready = {
            "v": 10, "user": self.bot_user.payload(),
            "guilds": [{"id": str(self.guild_id), "unavailable": True}] if owns_guild else [],
            "session_id": self._session_id, "resume_gateway_url": self.gateway_url,
            "application": {"id": str(self.app_id), "flags": self.app_flags},
            "private_channels": [], "relationships": [],
        }
        if shard:
            ready["shard"] = [shard_id, count]
        await self._dispatch("READY", ready, ws)
        if owns_guild:
            await self._dispatch("GUILD_CREATE", self.guild_payload(), ws)
        self.identifies.append(data)
        await self._notify()

    async def _dispatch(self, event: str, data: dict[str, Any], ws: web.WebSocketResponse | None = None) -> None:
        ws = ws or self._ws
        assert ws is not None and not ws.closed, "the bot is not connected"
        self._seq += 1
        await ws.send_json({"op": 0, "t": event, "s": self._seq, "d": data})

    async def drop_socket(self, code: int = 4000) -> None:
        """Close the bot's websocket from the server side, as a Discord restart would."""
        assert self._ws is not None
        await self._ws.close(code=code)

    # -- injecting events ---------------------------------------------------

    async def send_message(
        self, content: str, *, author: FakeUser | None = None, channel: FakeChannel | None = None,
        reply_to: dict[str, Any] | None = None, resolved: bool = True,
    ) -> dict[str, Any]:
        """Deliver a MESSAGE_CREATE, blanking the content as Discord does without the intent.

        reply_to makes it a reply to that message; Discord usually sends the message
        replied to along (`referenced_message`), and leaves it out with resolved=False.
        """
        author = author or self.member
        channel = channel or self.general
        mentioned = {int(found) for found in MENTION_RE.findall(content)}
        mentions = [
            {**user.payload(), "member": user.member(with_user=False)}
            for user in self.users if user.id in mentioned
        ]
        readable = self._intents & INTENT_MESSAGE_CONTENT or self.bot_user.id in mentioned
        reference = None
        if reply_to is not None:
            reference = {"message_id": reply_to["id"], "channel_id": reply_to["channel_id"], "guild_id": str(self.guild_id)}
        message = self.message_payload(
            channel.id, author, content if readable else "", mentions=mentions,
            mention_everyone="@everyone" in content, reference=reference,
        )
        message["guild_id"] = str(self.guild_id)
        message["member"] = author.member(with_user=False)
        message["mention_roles"] = [found for found in ROLE_MENTION_RE.findall(content) if int(found) in self.roles]
        if reply_to is not None and resolved:
            message["referenced_message"] = reply_to
        self.messages[int(message["id"])] = message
        await self._dispatch("MESSAGE_CREATE", message)
        return message

    def add_message(self, content: str, *, author: FakeUser, channel: FakeChannel | None = None,
                    embeds: list[Any] | None = None) -> dict[str, Any]:
        """Store a message as if it had been sent earlier (no event); return its payload."""
        message = self.message_payload((channel or self.general).id, author, content, embeds=embeds)
        message["guild_id"] = str(self.guild_id)
        self.messages[int(message["id"])] = message
        return message

    def add_attachment(self, filename: str, data: bytes) -> dict[str, Any]:
        """Store an upload and return its attachment payload (served by this fake)."""
        attachment_id = self.snowflake()
        self.attachments[attachment_id] = data
        url = f"{self.url}/attachments/{attachment_id}/{quote(filename, safe='')}"
        return {
            "id": str(attachment_id), "filename": filename, "size": len(data), "url": url,
            "proxy_url": url, "content_type": "text/plain",
        }

    async def send_command(
        self, name: str, options: dict[str, Any] | None = None, *, user: FakeUser | None = None,
        channel: FakeChannel | None = None, kind: int = 2, focused: str | None = None,
    ) -> dict[str, Any]:
        """Deliver an INTERACTION_CREATE for a synced slash command ("feed add" for a subcommand); return the interaction.

        kind=4 with `focused` naming an option is an autocomplete request for that option.
        """
        user = user or self.member
        channel = channel or self.general
        top, _, sub = name.partition(" ")  # "feed add": the subcommand add of the group feed
        command = self.find_command(top)
        assert command is not None, f"/{top} was never synced"
        data: dict[str, Any] = {"id": command["id"], "name": top, "type": 1, "options": []}
        declared, given = command.get("options", []), data["options"]
        if sub:
            subcommand = next((o for o in declared if o["name"] == sub and o["type"] == 1), None)
            assert subcommand is not None, f"/{name} was never synced"
            given.append({"name": sub, "type": 1, "options": []})
            declared, given = subcommand.get("options", []), given[0]["options"]
        option_types = {option["name"]: option["type"] for option in declared}
        if command.get("guild_id"):
            data["guild_id"] = command["guild_id"]
        for option_name, value in (options or {}).items():
            option_type = option_types[option_name]
            if option_type == 11:  # an attachment: the value is its id, the object is resolved
                data.setdefault("resolved", {}).setdefault("attachments", {})[value["id"]] = value
                value = value["id"]
            option = {"name": option_name, "type": option_type, "value": value}
            if option_name == focused:
                option["focused"] = True
            given.append(option)
        return await self._interact(kind, data, user, channel)

    async def _interact(
        self, kind: int, data: dict[str, Any], user: FakeUser, channel: FakeChannel, **extra: Any
    ) -> dict[str, Any]:
        """Deliver an INTERACTION_CREATE of a kind (2 command, 3 component click, 4 autocomplete); return it."""
        interaction_id = self.snowflake()
        member = user.member()
        member["permissions"] = str(self.permissions(user, channel))
        payload = {
            "id": str(interaction_id), "application_id": str(self.app_id), "type": kind,
            "token": f"token-{interaction_id}", "version": 1, "guild_id": str(self.guild_id),
            "channel_id": str(channel.id),
            "channel": {"id": str(channel.id), "type": 0, "name": channel.name, "guild_id": str(self.guild_id)},
            "member": member, "data": data, "locale": "en-US", "guild_locale": "en-US",
            "app_permissions": str(self.permissions(self.bot_user, channel)),
            "entitlements": [], "authorizing_integration_owners": {"0": str(self.guild_id)},
            "context": 0, "attachment_size_limit": 10 * 1024 * 1024, **extra,
        }
        self._interaction_channels[payload["token"]] = channel.id
        await self._dispatch("INTERACTION_CREATE", payload)
        return payload

    async def click(
        self, message: dict[str, Any], custom_id: str, *, user: FakeUser | None = None
    ) -> tuple[Request, Request | None]:
        """Click a button of a message the bot sent; return the interaction callback and, after a defer, the follow-up."""
        buttons = [c for row in message.get("components") or [] for c in row.get("components", [])]
        assert any(button.get("custom_id") == custom_id for button in buttons), f"no button {custom_id} on the message"
        channel = self.channel(int(message["channel_id"]))
        mark = len(self.requests)
        interaction = await self._interact(
            3, {"custom_id": custom_id, "component_type": 2}, user or self.member, channel, message=message
        )
        return await self._answered(interaction, mark)

    async def run_context_menu(
        self, name: str, target: dict[str, Any], *, user: FakeUser | None = None
    ) -> tuple[Request, Request | None]:
        """Pick a message menu entry (a type 3 command) on a message; return the callback and any follow-up."""
        command = self.find_command(name)
        assert command is not None and command["type"] == 3, f"no message menu entry {name!r} was synced"
        data = {"id": command["id"], "name": name, "type": 3, "target_id": target["id"],
                "resolved": {"messages": {target["id"]: target}}}
        if command.get("guild_id"):
            data["guild_id"] = command["guild_id"]
        mark = len(self.requests)
        interaction = await self._interact(2, data, user or self.member, self.channel(int(target["channel_id"])))
        return await self._answered(interaction, mark)

    def channel(self, channel_id: int) -> FakeChannel:
        """Return a channel (or a thread the bot opened) by id."""
        for channel in self.channels:
            if channel.id == channel_id:
                return channel
        thread = self.threads[channel_id]
        return FakeChannel(channel_id, thread["name"])

    def find_command(self, name: str) -> dict[str, Any] | None:
        for scope in (self.guild_id, None):
            for command in self.commands.get(scope, []):
                if command["name"] == name:
                    return command
        return None

    # -- REST -------------------------------------------------------------

    def _bot_message(self, channel_id: int, body: Any) -> dict[str, Any]:
        body = body if isinstance(body, dict) else {}
        message = self.message_payload(
            channel_id, self.bot_user, body.get("content") or "", embeds=body.get("embeds"),
            reference=body.get("message_reference"), flags=body.get("flags") or 0,
        )
        message["components"] = body.get("components") or []
        message["guild_id"] = str(self.guild_id)
        self.messages[int(message["id"])] = message
        self._made = int(message["id"])
        return message

    async def _open_thread(self, channel_id: int, message_id: int, body: Any) -> web.Response:
        """Open a thread on a message, as POST /channels/{id}/messages/{id}/threads does, and tell the bot."""
        if message_id not in self.messages:
            return _json_response({"message": "Unknown Message", "code": 10008}, 404)
        thread = {
            "id": str(message_id), "guild_id": str(self.guild_id), "parent_id": str(channel_id),
            "owner_id": str(self.bot_user.id), "type": 11, "name": body["name"], "last_message_id": None,
            "thread_metadata": {"archived": False, "auto_archive_duration": body.get("auto_archive_duration", 1440),
                                "archive_timestamp": self.messages[message_id]["timestamp"], "locked": False},
            "message_count": 0, "member_count": 1, "rate_limit_per_user": 0, "flags": 0,
        }
        self.threads[message_id] = thread
        await self._dispatch("THREAD_CREATE", {**thread, "newly_created": True})
        return _json_response(thread, 201)

    async def _attachment(self, request: web.Request) -> web.Response:
        attachment_id = int(request.match_info["id"])
        self.downloads.append(attachment_id)
        data = self.attachments.get(attachment_id)
        if data is None:
            return _json_response({"message": "404: Not Found", "code": 0}, 404)
        return web.Response(body=data, content_type="application/octet-stream")

    async def _rest(self, request: web.Request) -> web.StreamResponse:
        path = "/" + request.match_info["path"]
        body: Any = None
        if request.can_read_body:
            raw = await request.read()
            try:
                body = json.loads(raw) if raw else None
            except ValueError:
                body = raw
        recorded = Request(request.method, path, dict(request.query), body, dict(request.headers))
        self.requests.append(recorded)
        try:
            return await self._reply(request, recorded)
        finally:
            await self._notify()  # after the reply is made: a waiter then sees what the request made

    async def _reply(self, request: web.Request, recorded: Request) -> web.Response:
        path, body = recorded.path, recorded.json
        for index, (method, prefix, retry_after) in enumerate(self.rate_limits):
            if request.method == method and path.startswith(prefix):
                del self.rate_limits[index]
                return _json_response(
                    {"message": "You are being rate limited.", "retry_after": retry_after, "global": False},
                    429,
                    {"Via": "1.1 google", "Retry-After": str(retry_after), "X-RateLimit-Limit": "5",
                     "X-RateLimit-Remaining": "0", "X-RateLimit-Reset-After": str(retry_after),
                     "X-RateLimit-Bucket": "fake-bucket", "X-RateLimit-Scope": "user"},
                )
        for index, (method, prefix, status) in enumerate(self.failures):
            if request.method == method and path.startswith(prefix):
                del self.failures[index]
                return _json_response({"message": "Invalid Form Body", "code": 50035}, status)
        auth = request.headers.get("Authorization")
        # Interaction webhooks carry no bot token; everything else must carry the right one.
        if (auth is not None or path == "/users/@me") and auth != f"Bot {self.token}":
            return _json_response({"message": "401: Unauthorized", "code": 0}, 401)
        parts = path.strip("/").split("/")
        if request.method == "POST" and len(parts) == 5 and parts[0] == "channels" and parts[-1] == "threads":
            return await self._open_thread(int(parts[1]), int(parts[3]), body)
        self._made = None
        response = self._route(request.method, path, body)  # not a coroutine: nothing runs between it and this
        recorded.made = self._made
        return response

    def _route(self, method: str, path: str, body: Any) -> web.Response:
        parts = path.strip("/").split("/")
        if method == "GET" and len(parts) == 4 and parts[0] == "channels" and parts[2] == "messages":
            message = self.messages.get(int(parts[3]))
            if message is None or message["channel_id"] != parts[1]:
                return _json_response({"message": "Unknown Message", "code": 10008}, 404)
            return _json_response(message)
        if method == "GET" and path == "/gateway/bot":
            return _json_response({"url": self.gateway_url, "shards": self.shards, "session_start_limit": {
                "total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1}})
        if method == "GET" and path == "/users/@me":
            return _json_response(self.bot_user.payload())
        if method == "GET" and path == "/oauth2/applications/@me":
            return _json_response({
                "id": str(self.app_id), "name": "newsbot", "icon": None, "description": "",
                "bot_public": True, "bot_require_code_grant": False, "owner": self.owner.payload(),
                "verify_key": "0" * 64, "flags": self.app_flags, "team": None, "summary": "",
            })
        if parts[0] == "applications" and parts[-1] == "commands":
            guild_id = int(parts[3]) if "guilds" in parts else None
            if method == "PUT":
                self.commands[guild_id] = [self.store_command(command, guild_id) for command in body]
            return _json_response(self.commands.get(guild_id, []))
        if method == "POST" and parts[0] == "channels" and parts[-1] == "typing":
            return web.Response(status=204)
        if method == "POST" and parts[0] == "channels" and parts[-1] == "messages":
            return _json_response(self._bot_message(int(parts[1]), body))
        if method == "POST" and parts[0] == "interactions" and parts[-1] == "callback":
            kind = body["type"]
            flags = (body.get("data") or {}).get("flags") or 0
            result: dict[str, Any] = {
                "interaction": {"id": parts[1], "type": 2, "response_message_loading": kind == 5,
                                "response_message_ephemeral": bool(flags & 64)},
                "resource": {"type": kind},
            }
            if kind == 4:
                channel_id = self._interaction_channels.get(parts[2], self.general.id)
                result["resource"]["message"] = self._bot_message(channel_id, body.get("data"))
            return _json_response(result)
        if parts[0] == "webhooks" and method in ("POST", "PATCH"):
            return _json_response(self._bot_message(self._interaction_channels.get(parts[2], self.general.id), body))
        if parts[0] == "webhooks" and method == "DELETE":
            return web.Response(status=204)
        return _json_response({"message": "404: Not Found", "code": 0}, 404)

    # -- conversations ----------------------------------------------------------

    async def run_command(
        self, name: str, options: dict[str, Any] | None = None, **kwargs: Any
    ) -> tuple[Request, Request | None]:
        """Send a slash command; return the interaction callback and, after a defer, the follow-up."""
        mark = len(self.requests)
        interaction = await self.send_command(name, options, **kwargs)
        return await self._answered(interaction, mark)

    async def _answered(self, interaction: dict[str, Any], mark: int) -> tuple[Request, Request | None]:
        callback = await self.wait_for_request("POST", rf"/interactions/{interaction['id']}/[^/]+/callback", after=mark)
        if callback.json["type"] != 5:
            return callback, None
        followup = await self.wait_for_request("POST", rf"/webhooks/{self.app_id}/{interaction['token']}", after=mark)
        return callback, followup

    def message_of(self, request: Request) -> dict[str, Any]:
        """Return the message a request of the bot's made (a channel message or an interaction follow-up)."""
        assert request.made is not None, f"{request.method} {request.path} made no message"
        return self.messages[request.made]

    async def autocomplete(self, name: str, option: str, typed: str, **kwargs: Any) -> list[str]:
        """Send what a user has typed into a command's option; return the suggested values."""
        mark = len(self.requests)
        interaction = await self.send_command(name, {option: typed}, kind=4, focused=option, **kwargs)
        callback = await self.wait_for_request("POST", rf"/interactions/{interaction['id']}/[^/]+/callback", after=mark)
        assert callback.json["type"] == 8  # APPLICATION_COMMAND_AUTOCOMPLETE_RESULT
        return [choice["value"] for choice in callback.json["data"]["choices"]]

    async def ask(self, question: str, **kwargs: Any) -> tuple[Request, Request | None]:
        """Send /ask question; return the callback and the follow-up (None for an immediate refusal)."""
        return await self.run_command("ask", {"question": question}, **kwargs)

    # -- assertions helpers -------------------------------------------------

    def sent(self, method: str, path_re: str, *, after: int = 0) -> list[Request]:
        """Return the recorded requests (from index `after` on) matching method and path."""
        pattern = re.compile(path_re)
        return [r for r in self.requests[after:] if r.method == method and pattern.fullmatch(r.path)]
