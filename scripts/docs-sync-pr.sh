#!/usr/bin/env bash
# The steps of .github/workflows/docs-sync.yml, one script so that npm test can run them end to
# end (test/docs-sync-pr.test.ts) against a local docs repository and a local bare remote. The
# pull request itself (gh pr create/edit) is the workflow's last step, not done here.
#
# Usage: scripts/docs-sync-pr.sh DOCS_DIR REMOTE BODY_FILE
#
#   DOCS_DIR   docs root (the folder holding api-reference/); its REVISION file's first line
#              names the docs commit
#   REMOTE     git remote (name or URL) the branch `docs-sync` is pushed to
#   BODY_FILE  where the pull request's body is written (outside the repository)
#
# Run from the repository root, on the base branch (main). Resets the branch `docs-sync` to the
# base, runs `b24gen docs-sync`, `npm run generate` and `npm test`, commits spec/ and generated/
# as "docs-sync: spec follows docs at <revision>", pushes with --force-with-lease and writes the
# body: the docs-sync summary, then `b24gen diff --base-ref <base> --format markdown`.
# It pushes nothing and writes no body (exit 0, says so) when the docs change nothing in spec/,
# or when the remote branch already holds exactly this sync.
#
# DOCS_SYNC_SKIP_TESTS=1 skips `npm test` (only for the end-to-end test of this script, which
# runs inside `npm test`). When GITHUB_OUTPUT is set, `changed=true|false` is appended to it.
# Exit 0 done or nothing to do, 1 a step failed, 2 usage errors.
set -euo pipefail

BRANCH=docs-sync

usage() {
  echo "Usage: scripts/docs-sync-pr.sh DOCS_DIR REMOTE BODY_FILE" >&2
  echo "docs-sync-pr: $1" >&2
  exit 2
}

output() {
  if [ -n "${GITHUB_OUTPUT:-}" ]; then echo "changed=$1" >>"$GITHUB_OUTPUT"; fi
}

[ $# -eq 3 ] || usage "expected 3 arguments, got $#"
docs=$1
remote=$2
body=$3
[ -d "$docs/api-reference" ] || usage "$docs has no api-reference/ folder; pass the docs root"
[ -s "$docs/REVISION" ] || usage "$docs/REVISION is missing or empty; write the docs commit into it (git -C DOCS rev-parse HEAD > DOCS/REVISION)"
revision=$(head -n 1 "$docs/REVISION" | tr -d '[:space:]')
[ -n "$revision" ] || usage "the first line of $docs/REVISION is empty"
docs=$(cd "$docs" && pwd)
case $body in /*) ;; *) body="$(pwd)/$body" ;; esac

[ -f package.json ] && [ -d spec ] || usage "run from the repository root (no package.json and spec/ in $(pwd))"
if [ -n "$(git status --porcelain -- spec generated)" ]; then
  echo "docs-sync-pr: spec/ or generated/ has uncommitted changes; run on a clean checkout" >&2
  exit 1
fi

b24gen() { node generator/bin/b24gen.mjs "$@"; }

base=$(git rev-parse HEAD)
git checkout --quiet -B "$BRANCH" "$base"

summary=$(mktemp)
trap 'rm -f "$summary"' EXIT
# Exit 1 means "some differences are left for a person": listed in the summary, not a failure.
set +e
b24gen docs-sync --docs "$docs" >"$summary"
sync_status=$?
set -e
cat "$summary"
if [ "$sync_status" -gt 1 ]; then
  echo "docs-sync-pr: b24gen docs-sync failed (exit $sync_status)" >&2
  exit 1
fi

# A new docs revision that changed none of the chat-bot pages only rewrites the `revision:` line
# of spec/docs-sync.yaml: not worth a pull request (the page hashes still name what changed).
if [ -z "$(git status --porcelain --untracked-files=all -- spec)" ] ||
  [ -z "$(git diff -U0 -- spec | grep -E '^[-+]' | grep -vE '^(\+\+\+|---) ' | grep -vE '^[-+]revision: ')" ] &&
  [ -z "$(git status --porcelain --untracked-files=all -- spec | grep -v ' spec/docs-sync.yaml$')" ]; then
  git checkout --quiet -- spec
  echo "docs-sync-pr: spec/ already follows docs at $revision; nothing to do"
  output false
  exit 0
fi

npm run generate
if [ "${DOCS_SYNC_SKIP_TESTS:-}" = 1 ]; then
  echo "docs-sync-pr: npm test skipped (DOCS_SYNC_SKIP_TESTS=1)"
else
  npm test
fi

git add -- spec generated
git commit --quiet -m "docs-sync: spec follows docs at $revision" -m "Applied by scripts/docs-sync-pr.sh (b24gen docs-sync); descriptions marked TODO(docs-sync) are left for a person."

# One branch, updated each run: push only when its content changes, and only over the commit
# this run saw on the remote (a person's fix pushed meanwhile is not overwritten).
remote_head=$(git ls-remote "$remote" "refs/heads/$BRANCH" | cut -f 1)
if [ -n "$remote_head" ]; then
  git fetch --quiet "$remote" "refs/heads/$BRANCH"
  if [ "$(git rev-parse FETCH_HEAD^{tree})" = "$(git rev-parse HEAD^{tree})" ]; then
    echo "docs-sync-pr: $remote $BRANCH already holds the sync to docs at $revision; nothing to do"
    output false
    exit 0
  fi
fi
git push --quiet --force-with-lease="refs/heads/$BRANCH:$remote_head" "$remote" "HEAD:refs/heads/$BRANCH"

{
  echo "Docs sync: the spec follows docs at \`$revision\`."
  echo
  cat "$summary"
  echo
  b24gen diff --base-ref "$base" --format markdown --fail-on none
} >"$body"
echo "docs-sync-pr: pushed $BRANCH to $remote; pull request body in $body"
output true
