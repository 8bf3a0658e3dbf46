"""Slack's Events API `event_callback` wrapping a `message` event, compact JSON, signed with
`X-Slack-Signature` over `v0:{timestamp}:{body}`."""

from __future__ import annotations

from hookscope.core.templates.template import Template

__all__ = ["TEMPLATE"]

_BODY = (
    '{"token":"Jhj5dZrVaK7ZwHHjRyZWjbDl","team_id":"T0123ABCD","context_team_id":"T0123ABCD",'
    '"context_enterprise_id":null,"api_app_id":"A0456EFGH",'
    '"event":{"type":"message","channel":"C0789IJKL","user":"U0246MNOP",'
    '"text":"Hello from hookscope","ts":"{{now}}.000100","event_ts":"{{now}}.000100",'
    '"channel_type":"channel"},'
    '"type":"event_callback","event_id":"Ev{{random_id}}","event_time":{{now}},'
    '"authorizations":[{"enterprise_id":null,"team_id":"T0123ABCD","user_id":"U0246MNOP",'
    '"is_bot":false,"is_enterprise_install":false}],'
    '"is_ext_shared_channel":false,"event_context":"4-eyJldCI6Im1lc3NhZ2UiLCJ0aWQiOiJUMDEy'
    'M0FCQ0QiLCJhaWQiOiJBMDQ1NkVGR0giLCJjaWQiOiJDMDc4OUlKS0wifQ"}'
)

TEMPLATE = Template(
    name="slack-event-callback",
    title="Slack event_callback (message)",
    description="A message posted in a channel, as the Events API delivers it.",
    method="POST",
    path="/hooks/slack",
    headers=(
        ("Content-Type", "application/json"),
        ("User-Agent", "Slackbot 1.0 (+https://api.slack.com/robots)"),
        ("Accept", "*/*"),
    ),
    body=_BODY,
    scheme="slack",
)
