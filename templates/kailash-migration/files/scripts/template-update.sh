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
#   GH_TOKEN (GitHub) or MIGRATION_UPDATE_TOKEN and the CI_* variables (GitLab).
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

main() {
  # The tool at the exact version that made or last synced this project (sync moves the pin).
  local pinned='{{tool.npx}}'
  local cm="${CREATE_MIGRATION:-$pinned}"
  local base="${BASE_BRANCH:?BASE_BRANCH is not set}"
  : "${FORGE:?FORGE must be github or gitlab}"
  work="$(mktemp -d "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/template-update.XXXXXX")"
  trap 'rm -rf "$work"' EXIT

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

  if [ "$FORGE" = github ]; then
    if [ -n "$existing" ]; then
      gh pr edit "$number" --title "$title" --body-file "$work/summary.md"
    elif [ "${conflicts:-0}" != 0 ]; then
      gh pr create --draft --head "$branch" --base "$base" --title "$title" --body-file "$work/summary.md"
    else
      gh pr create --head "$branch" --base "$base" --title "$title" --body-file "$work/summary.md"
    fi
  else
    local draft=""
    [ "${conflicts:-0}" != 0 ] && draft="Draft: "
    node -e 'const fs = require("fs"); const [summary, out, branch, base, title] = process.argv.slice(1);
fs.writeFileSync(out, JSON.stringify({ source_branch: branch, target_branch: base, title, description: fs.readFileSync(summary, "utf8"), remove_source_branch: true }));' \
      "$work/summary.md" "$work/request.json" "$branch" "$base" "$draft$title"
    if [ -n "$existing" ]; then gitlab PUT "merge_requests/$number" "$work/request.json" > /dev/null
    else gitlab POST merge_requests "$work/request.json" > /dev/null; fi
  fi
  echo "Template update $from -> $version: ${conflicts:-0} conflicting file(s); request on $branch."
}

main "$@"
exit $?
