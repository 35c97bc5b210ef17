#!/usr/bin/env bash
# The template-update job (see "Template updates" in README.md). When this project is behind
# its migration template, it syncs the project on branch template-update/<version>, pushes it,
# and opens one pull request (GitHub) or merge request (GitLab) for that version, or updates
# the one already open. Up to date: nothing. Conflicts: a draft listing each conflicting file,
# with the conflict markers committed on the branch for the reviewer to resolve.
#
# Run by .github/workflows/template-update.yml or .gitlab/template-update.yml, which set:
#   FORGE=github|gitlab, BASE_BRANCH, CREATE_MIGRATION (how to run the CLI),
#   TEMPLATE_TOKEN (optional: reads a private template repository on TEMPLATE_HOST),
#   GH_TOKEN (GitHub) or MIGRATION_UPDATE_TOKEN and the CI_* variables (GitLab),
#   and optionally, as platform teams configure their requests (comma-separated lists):
#   UPDATE_LABELS, UPDATE_REVIEWERS and UPDATE_ASSIGNEES (GitHub: user names, `org/team` for a
#   team reviewer; GitLab: numeric user ids, as its API takes them), and UPDATE_CLOSE_SUPERSEDED
#   (default true: an open request for an older version is closed when a newer one is opened).
# Tokens only ever travel in the environment: never in a URL, a file in the project or the log.
set -euo pipefail

# Reads a field of the first project in a create-migration --json answer.
field() {
  node -e 'const p = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).projects[0] ?? {};
const v = process.argv[2].split(".").reduce((o, k) => (o == null ? o : o[k]), p);
process.stdout.write(v == null ? "" : String(v));' "$1" "$2"
}

# Gives git a credential for one host from an environment variable, through git's environment
# configuration (GIT_CONFIG_COUNT): nothing is written to disk, nothing appears in a URL.
credential_for() {
  local host="$1" var="$2" user="$3" n="${GIT_CONFIG_COUNT:-0}"
  export "GIT_CONFIG_KEY_$n=credential.https://$host.helper"
  export "GIT_CONFIG_VALUE_$n=!f() { test \"\$1\" = get && printf 'username=%s\\npassword=%s\\n' '$user' \"\$$var\"; }; f"
  export GIT_CONFIG_COUNT=$((n + 1))
}

# find_request <branch>: prints "<number> <state>" of the newest request from that branch, if any.
find_request() {
  if [ "$FORGE" = github ]; then
    gh pr list --head "$1" --state all --json number,state --limit 1 |
      node -e 'const j = JSON.parse(require("fs").readFileSync(0, "utf8")); if (j[0]) console.log(`${j[0].number} ${String(j[0].state).toLowerCase()}`);'
  else
    gitlab GET "merge_requests?source_branch=$(node -p 'encodeURIComponent(process.argv[1])' "$1")&state=all" |
      node -e 'const j = JSON.parse(require("fs").readFileSync(0, "utf8")); if (j[0]) console.log(`${j[0].iid} ${j[0].state === "opened" ? "open" : j[0].state}`);'
  fi
}

# gitlab <method> <path> [json body file]: the merge-request API with the project access token.
gitlab() {
  local header="$work/gitlab-header"
  # The token goes to curl in a file (not on its command line, where ps would show it).
  [ -f "$header" ] || (umask 077 && printf 'PRIVATE-TOKEN: %s\n' "${MIGRATION_UPDATE_TOKEN:?MIGRATION_UPDATE_TOKEN is not set: see README.md, Template updates}" > "$header")
  curl --fail-with-body --silent --show-error -X "$1" -H "@$header" -H 'Content-Type: application/json' \
    ${3:+--data-binary "@$3"} "$CI_API_V4_URL/projects/$CI_PROJECT_ID/$2"
}


# Splits a comma-separated list into one `<flag> <item>` pair per item (spaces trimmed).
each_flag() {
  local flag="$1" list="$2" item
  local -a items
  IFS=',' read -ra items <<< "$list"
  for item in "${items[@]}"; do
    item="$(printf '%s' "$item" | tr -d '[:space:]')"
    [ -n "$item" ] && printf '%s\n%s\n' "$flag" "$item"
  done
  return 0
}

# older_requests <branch> <version>: the numbers of open requests from other template-update/
# branches whose version is older than <version>, one a line. Reads the forge's list on stdin.
older_requests() {
  node -e '
const [branch, version, forge] = process.argv.slice(1);
const parse = (v) => { const m = /^(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?$/.exec(v); return m && [+m[1], +m[2], +m[3], m[4] ?? ""]; };
const older = (a, b) => { for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] < b[i]; return a[3] !== b[3] && (b[3] === "" || (a[3] !== "" && a[3] < b[3])); };
const mine = parse(version);
for (const r of JSON.parse(require("fs").readFileSync(0, "utf8"))) {
  const head = forge === "github" ? r.headRefName : r.source_branch;
  const open = forge === "github" ? String(r.state).toLowerCase() === "open" : r.state === "opened";
  if (!open || typeof head !== "string" || !head.startsWith("template-update/") || head === branch) continue;
  const v = parse(head.slice("template-update/".length));
  if (v && older(v, mine)) console.log(forge === "github" ? r.number : r.iid);
}' "$1" "$2" "$FORGE"
}

# close_superseded <branch> <version> <request>: closes the older update requests, saying why.
close_superseded() {
  [ "${UPDATE_CLOSE_SUPERSEDED:-true}" = true ] || return 0
  local n note="Superseded by the update to template $2 ($3): closed by the template-update job."
  if [ "$FORGE" = github ]; then
    for n in $(gh pr list --state open --json number,headRefName,state --limit 100 | older_requests "$1" "$2"); do
      gh pr close "$n" --comment "$note" > /dev/null
      echo "Closed #$n: superseded by $2."
    done
  else
    for n in $(gitlab GET "merge_requests?state=opened&per_page=100" | older_requests "$1" "$2"); do
      node -e 'require("fs").writeFileSync(process.argv[1], JSON.stringify({ body: process.argv[2] }))' "$work/note.json" "$note"
      gitlab POST "merge_requests/$n/notes" "$work/note.json" > /dev/null
      printf '{"state_event":"close"}' > "$work/close.json"
      gitlab PUT "merge_requests/$n" "$work/close.json" > /dev/null
      echo "Closed !$n: superseded by $2."
    done
  fi
}

main() {
  # The tool at the exact version that made or last synced this project (sync moves the pin).
  local pinned='{{tool.npx}}'
  local cm="${CREATE_MIGRATION:-$pinned}"
  local base="${BASE_BRANCH:?BASE_BRANCH is not set}"
  : "${FORGE:?FORGE must be github or gitlab}"
  work="$(mktemp -d "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/template-update.XXXXXX")"
  trap 'rm -rf "$work"' EXIT

  if [ "$FORGE" = github ] && [ -n "${GH_TOKEN:-}" ] && [ -n "${GITHUB_REPOSITORY:-}" ]; then
    # The checkout keeps no credential: pushes to this repository go with GH_TOKEN (an App's or a
    # personal token, whose pull requests start the checks; else the workflow's own). Scoped to
    # this repository's URL, and asked before the template's token, which may share its host.
    local server="${GITHUB_SERVER_URL:-https://github.com}"
    credential_for "${server#https://}/$GITHUB_REPOSITORY" GH_TOKEN x-access-token
    credential_for "${server#https://}/$GITHUB_REPOSITORY.git" GH_TOKEN x-access-token
  fi
  if [ -n "${TEMPLATE_TOKEN:-}" ]; then credential_for "${TEMPLATE_HOST:-github.com}" TEMPLATE_TOKEN x-access-token; fi
  local remote=origin
  if [ "$FORGE" = gitlab ]; then
    # The job token cannot push: push with the project access token, given to git by host.
    remote="$CI_SERVER_URL/$CI_PROJECT_PATH.git"
    credential_for "${CI_SERVER_HOST:?}" MIGRATION_UPDATE_TOKEN oauth2
  fi
  # sync finds the template as the project last applied it on this branch.
  git fetch --quiet origin '+refs/heads/migration-template:refs/heads/migration-template' 2>/dev/null || true

  local rc=0
  $cm sync --check --json > "$work/check.json" || rc=$?
  if [ "$rc" = 0 ]; then
    echo "Up to date with the migration template: nothing to do."
    return 0
  fi
  if [ "$rc" != 1 ]; then
    echo "create-migration sync --check failed (exit $rc):" >&2
    cat "$work/check.json" >&2 || true
    return "$rc"
  fi
  local version name from
  version="$(field "$work/check.json" to)"
  name="$(field "$work/check.json" template)"
  from="$(field "$work/check.json" from)"
  # The version names a branch: only what a semantic version may hold.
  if ! [[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$ ]]; then
    echo "The template's version \"$version\" is not a semantic version; not opening a request." >&2
    return 2
  fi
  local branch="template-update/$version"
  local title="Template update: ${name:-template} $from -> $version"

  local existing state number
  existing="$(find_request "$branch")"
  number="${existing%% *}"
  state="${existing#* }"
  if [ -n "$existing" ] && [ "$state" != open ]; then
    echo "The request for $version (#$number) is $state: not opening a second one. Sync by hand, or delete the branch $branch to have it opened again."
    return 0
  fi

  git switch --quiet -C "$branch"
  rc=0
  # No one is at a terminal here: a question the new version adds takes its default (--yes), and
  # the summary lists it for the reviewer to change in the request if the default is wrong.
  $cm sync --yes --summary "$work/summary.md" --json > "$work/sync.json" || rc=$?
  if [ "$rc" != 0 ] && [ "$rc" != 1 ]; then
    echo "create-migration sync failed (exit $rc):" >&2
    cat "$work/sync.json" >&2 || true
    return "$rc"
  fi
  local conflicts
  conflicts="$(field "$work/sync.json" conflicts)"
  # Conflicted files are committed with their markers: the reviewer resolves them in the request.
  git add -A
  git -c user.name="${GIT_USER_NAME:-create-migration[bot]}" -c user.email="${GIT_USER_EMAIL:-create-migration-bot@users.noreply.github.com}" \
    commit --quiet -m "$title" -m "Template-Update: $version"

  local remote_sha
  remote_sha="$(git ls-remote --heads "$remote" "refs/heads/$branch" | cut -f1)"
  if [ -z "$remote_sha" ]; then
    git push --quiet "$remote" "HEAD:refs/heads/$branch"
  else
    git fetch --quiet "$remote" "+refs/heads/$branch:refs/remotes/template-update/current"
    if git diff --quiet "$remote_sha" HEAD --; then
      echo "$branch already holds this update."
    elif [ -z "$(git log --format=%H --invert-grep --grep='^Template-Update: ' "$remote_sha" --not "origin/$base")" ]; then
      # Only this job's commits are on the branch: bring it onto the current $base.
      git push --quiet --force-with-lease="refs/heads/$branch:$remote_sha" "$remote" "HEAD:refs/heads/$branch"
    else
      echo "$branch has commits by people (resolving the update, perhaps): left as it is."
      return 0
    fi
  fi

  local request
  if [ "$FORGE" = github ]; then
    local -a extra=()
    if [ -n "$existing" ]; then
      mapfile -t extra < <(each_flag --add-label "${UPDATE_LABELS:-}"; each_flag --add-reviewer "${UPDATE_REVIEWERS:-}"; each_flag --add-assignee "${UPDATE_ASSIGNEES:-}")
      gh pr edit "$number" --title "$title" --body-file "$work/summary.md" "${extra[@]}"
      request="#$number"
    else
      mapfile -t extra < <(each_flag --label "${UPDATE_LABELS:-}"; each_flag --reviewer "${UPDATE_REVIEWERS:-}"; each_flag --assignee "${UPDATE_ASSIGNEES:-}")
      [ "${conflicts:-0}" != 0 ] && extra+=(--draft)
      request="$(gh pr create --head "$branch" --base "$base" --title "$title" --body-file "$work/summary.md" "${extra[@]}")"
    fi
  else
    local draft=""
    [ "${conflicts:-0}" != 0 ] && draft="Draft: "
    node -e 'const fs = require("fs"); const [summary, out, branch, base, title, labels, reviewers, assignees] = process.argv.slice(1);
const ids = (list, name) => list.split(",").map((s) => s.trim()).filter(Boolean).map((s) => {
  if (!/^[0-9]{1,12}$/.test(s)) { console.error(`${name}: "${s}" is not a GitLab user id (a number)`); process.exit(2); }
  return Number(s);
});
const body = { source_branch: branch, target_branch: base, title, description: fs.readFileSync(summary, "utf8"), remove_source_branch: true };
if (labels.trim()) body.labels = labels.split(",").map((s) => s.trim()).filter(Boolean).join(",");
if (reviewers.trim()) body.reviewer_ids = ids(reviewers, "UPDATE_REVIEWERS");
if (assignees.trim()) body.assignee_ids = ids(assignees, "UPDATE_ASSIGNEES");
fs.writeFileSync(out, JSON.stringify(body));' \
      "$work/summary.md" "$work/request.json" "$branch" "$base" "$draft$title" "${UPDATE_LABELS:-}" "${UPDATE_REVIEWERS:-}" "${UPDATE_ASSIGNEES:-}"
    if [ -n "$existing" ]; then
      gitlab PUT "merge_requests/$number" "$work/request.json" > /dev/null
      request="!$number"
    else
      request="!$(gitlab POST merge_requests "$work/request.json" | node -e 'process.stdout.write(String(JSON.parse(require("fs").readFileSync(0, "utf8")).iid ?? ""))')"
    fi
  fi
  close_superseded "$branch" "$version" "$request"
  echo "Template update $from -> $version: ${conflicts:-0} conflicting file(s); request on $branch."
}

main "$@"
exit $?
