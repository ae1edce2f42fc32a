"""The fake Discord's world: one guild with roles, channels and members, and Discord's payloads for them.

Permissions are computed the way Discord does (base role permissions, then
channel overwrites for @everyone, roles and the member), so the bot sees real
differences: a member with or without Manage Server, a channel without Embed
Links for the bot.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

# Permission bits, from Discord's permissions documentation.
ADMINISTRATOR = 1 << 3
MANAGE_GUILD = 1 << 5
VIEW_CHANNEL = 1 << 10
SEND_MESSAGES = 1 << 11
EMBED_LINKS = 1 << 14
ATTACH_FILES = 1 << 15
READ_MESSAGE_HISTORY = 1 << 16
USE_APPLICATION_COMMANDS = 1 << 31
CREATE_PUBLIC_THREADS = 1 << 35
SEND_MESSAGES_IN_THREADS = 1 << 38
EVERYONE_PERMISSIONS = (
    VIEW_CHANNEL | SEND_MESSAGES | EMBED_LINKS | ATTACH_FILES | READ_MESSAGE_HISTORY
    | USE_APPLICATION_COMMANDS | CREATE_PUBLIC_THREADS | SEND_MESSAGES_IN_THREADS
)
ALL_PERMISSIONS = (1 << 53) - 1

INTENT_MESSAGE_CONTENT = 1 << 15  # gateway intents bit
# Application flags saying the message-content intent is granted (verified / under 100 servers).
FLAG_MESSAGE_CONTENT = 1 << 18
FLAG_MESSAGE_CONTENT_LIMITED = 1 << 19

_DISCORD_EPOCH_MS = 1420070400000  # snowflakes count milliseconds from 2015-01-01
MENTION_RE = re.compile(r"<@!?(\d+)>")
ROLE_MENTION_RE = re.compile(r"<@&(\d+)>")


@dataclass
class FakeUser:
    id: int
    name: str
    bot: bool = False
    roles: tuple[int, ...] = ()

    def payload(self) -> dict[str, Any]:
        return {
            "id": str(self.id), "username": self.name, "discriminator": "0",
            "global_name": None, "avatar": None, "bot": self.bot,
        }

    def member(self, *, with_user: bool = True) -> dict[str, Any]:
        data: dict[str, Any] = {
            "roles": [str(role) for role in self.roles], "joined_at": now(), "deaf": False,
            "mute": False, "flags": 0, "nick": None, "pending": False,
        }
        if with_user:
            data["user"] = self.payload()
        return data


@dataclass
class FakeChannel:
    id: int
    name: str
    overwrites: list[dict[str, Any]] = field(default_factory=list)  # Discord's permission_overwrites


def now() -> str:
    """Return the current time as Discord writes timestamps."""
    return datetime.now(UTC).isoformat()


class FakeGuild:
    """One guild ("Newsroom"), its roles, channels and members, and the bot application."""

    def __init__(self) -> None:
        self._ids = itertools.count(1)
        self.app_id = self.snowflake()
        self.bot_user = FakeUser(self.snowflake(), "newsbot", bot=True)
        self.guild_id = self.snowflake()
        self.admin_role = self.snowflake()
        self.bot_role = self.snowflake()
        self.roles = {
            self.guild_id: ("@everyone", EVERYONE_PERMISSIONS),
            self.admin_role: ("Admins", MANAGE_GUILD),
            self.bot_role: ("newsbot", 0),
        }
        self.bot_user.roles = (self.bot_role,)
        self.owner = FakeUser(self.snowflake(), "owner")
        self.admin = FakeUser(self.snowflake(), "admin", roles=(self.admin_role,))
        self.member = FakeUser(self.snowflake(), "member")
        self.other_bot = FakeUser(self.snowflake(), "otherbot", bot=True)
        self.general = FakeChannel(self.snowflake(), "general")
        self.plain = FakeChannel(  # the bot may not embed links here
            self.snowflake(), "plain",
            [{"id": str(self.bot_role), "type": 0, "allow": "0", "deny": str(EMBED_LINKS)}],
        )
        self.ask_channel = FakeChannel(self.snowflake(), "ask")
        self.channels = [self.general, self.plain, self.ask_channel]
        self.users = [self.bot_user, self.owner, self.admin, self.member, self.other_bot]

    def snowflake(self) -> int:
        return (int(datetime.now(UTC).timestamp() * 1000) - _DISCORD_EPOCH_MS) << 22 | next(self._ids)

    def guild_payload(self) -> dict[str, Any]:
        roles = [
            {"id": str(role_id), "name": name, "permissions": str(perms), "position": index,
             "color": 0, "hoist": False, "managed": False, "mentionable": False, "flags": 0}
            for index, (role_id, (name, perms)) in enumerate(self.roles.items())
        ]
        for role in roles:  # the role Discord makes for a bot when it joins: managed, tagged with the bot
            if role["id"] == str(self.bot_role):
                role.update(managed=True, mentionable=True, tags={"bot_id": str(self.bot_user.id)})
        channels = [
            {"id": str(channel.id), "type": 0, "name": channel.name, "position": index,
             "permission_overwrites": channel.overwrites, "parent_id": None, "topic": None,
             "nsfw": False, "rate_limit_per_user": 0, "last_message_id": None}
            for index, channel in enumerate(self.channels)
        ]
        return {
            "id": str(self.guild_id), "name": "Newsroom", "icon": None, "owner_id": str(self.owner.id),
            "roles": roles, "channels": channels, "members": [user.member() for user in self.users],
            "member_count": len(self.users), "emojis": [], "stickers": [], "features": [],
            "unavailable": False, "large": False, "voice_states": [], "presences": [], "threads": [],
            "stage_instances": [], "guild_scheduled_events": [], "soundboard_sounds": [],
            "premium_tier": 0, "preferred_locale": "en-US", "system_channel_id": None,
            "afk_channel_id": None, "verification_level": 0, "default_message_notifications": 0,
            "explicit_content_filter": 0, "mfa_level": 0, "nsfw_level": 0, "joined_at": now(),
        }

    def permissions(self, user: FakeUser, channel: FakeChannel) -> int:
        """Compute a member's permissions in a channel, as Discord does."""
        if user.id == self.owner.id:
            return ALL_PERMISSIONS
        perms = self.roles[self.guild_id][1]
        for role in user.roles:
            perms |= self.roles[role][1]
        if perms & ADMINISTRATOR:
            return ALL_PERMISSIONS
        for targets in ({self.guild_id}, set(user.roles), {user.id}):
            allow = deny = 0
            for overwrite in channel.overwrites:
                if int(overwrite["id"]) in targets:
                    allow |= int(overwrite["allow"])
                    deny |= int(overwrite["deny"])
            perms = (perms & ~deny) | allow
        return perms

    def message_payload(
        self, channel_id: int, author: FakeUser, content: str, *, embeds: list[Any] | None = None,
        mentions: list[Any] | None = None, mention_everyone: bool = False,
        reference: dict[str, Any] | None = None, flags: int = 0,
    ) -> dict[str, Any]:
        payload = {
            "id": str(self.snowflake()), "channel_id": str(channel_id), "author": author.payload(),
            "content": content, "timestamp": now(), "edited_timestamp": None, "tts": False,
            "mention_everyone": mention_everyone, "mentions": mentions or [], "mention_roles": [],
            "attachments": [], "embeds": embeds or [], "pinned": False, "type": 19 if reference else 0,
            "flags": flags, "components": [],
        }
        if reference:
            payload["message_reference"] = reference
        return payload

    def store_command(self, command: dict[str, Any], guild_id: int | None) -> dict[str, Any]:
        stored = {
            "id": str(self.snowflake()), "application_id": str(self.app_id), "version": "1",
            "type": 1, "description": "", "options": [], "default_member_permissions": None,
            "dm_permission": True, "nsfw": False, **command,
        }
        if guild_id is not None:
            stored["guild_id"] = str(guild_id)
        return stored
