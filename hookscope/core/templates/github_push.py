"""GitHub's `push` event: compact JSON, the event name in `X-GitHub-Event` and a GUID per
delivery in `X-GitHub-Delivery`, signed with `X-Hub-Signature-256` (and the legacy SHA-1)."""

from __future__ import annotations

from hookscope.core.templates.template import Template

__all__ = ["TEMPLATE"]

_BEFORE = "6113728f27ae82c7b1a177c8d03f9e96e0adf246"
_AFTER = "762941318ee16e59dabbacb1b4049eec22f0d303"
_USER = (
    '{"login":"octocat","id":583231,"node_id":"MDQ6VXNlcjU4MzIzMQ==","type":"User",'
    '"site_admin":false}'
)
_COMMIT = (
    f'{{"id":"{_AFTER}","tree_id":"2d9a3cfa8e7b1e4b6e0f9c5a0a2c5d9f1b7e3c4a","distinct":true,'
    '"message":"Fix typo in README","timestamp":"{{now_iso}}",'
    f'"url":"https://github.com/octocat/Hello-World/commit/{_AFTER}",'
    '"author":{"name":"Mona Lisa Octocat","email":"mona@github.com","username":"octocat"},'
    '"committer":{"name":"GitHub","email":"noreply@github.com","username":"web-flow"},'
    '"added":[],"removed":[],"modified":["README.md"]}'
)
_BODY = (
    f'{{"ref":"refs/heads/main","before":"{_BEFORE}","after":"{_AFTER}",'
    '"repository":{"id":1296269,"node_id":"MDEwOlJlcG9zaXRvcnkxMjk2MjY5","name":"Hello-World",'
    '"full_name":"octocat/Hello-World","private":false,'
    '"owner":{"name":"octocat","email":"octocat@github.com","login":"octocat","id":583231,'
    '"node_id":"MDQ6VXNlcjU4MzIzMQ==","type":"User","site_admin":false},'
    '"html_url":"https://github.com/octocat/Hello-World",'
    '"description":"My first repository on GitHub!","fork":false,'
    '"url":"https://github.com/octocat/Hello-World","created_at":1296068472,'
    '"updated_at":"{{now_iso}}","pushed_at":{{now}},"default_branch":"main",'
    '"master_branch":"main"},'
    '"pusher":{"name":"octocat","email":"octocat@github.com"},'
    f'"sender":{_USER},"created":false,"deleted":false,"forced":false,"base_ref":null,'
    f'"compare":"https://github.com/octocat/Hello-World/compare/{_BEFORE[:12]}...{_AFTER[:12]}",'
    f'"commits":[{_COMMIT}],"head_commit":{_COMMIT}}}'
)

TEMPLATE = Template(
    name="github-push",
    title="GitHub push",
    description="A push of one commit to octocat/Hello-World's main branch.",
    method="POST",
    path="/hooks/github",
    headers=(
        ("Accept", "*/*"),
        ("Content-Type", "application/json"),
        ("User-Agent", "GitHub-Hookshot/a3b1c9e"),
        ("X-GitHub-Delivery", "{{uuid}}"),
        ("X-GitHub-Event", "push"),
        ("X-GitHub-Hook-ID", "492211057"),
        ("X-GitHub-Hook-Installation-Target-ID", "1296269"),
        ("X-GitHub-Hook-Installation-Target-Type", "repository"),
    ),
    body=_BODY,
    scheme="github",
)
