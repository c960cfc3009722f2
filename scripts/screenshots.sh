#!/usr/bin/env bash
# Re-takes the screenshots in docs/emails/, docs/pages/ and docs/console/ (what people receive and open, in English, Korean and Turkish) with the same
# browser test that checks them on every run.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/chromium.sh
SUMMIT_UPDATE_DOCS=1 dotnet test tests/Summit.Browser.Tests --nologo --filter "FullyQualifiedName~PhotographedForTheDocs|FullyQualifiedName~CommitmentPagesTests"
scripts/axe-core.sh
SUMMIT_UPDATE_DOCS=1 dotnet test tests/Summit.Browser.Tests --nologo --filter "FullyQualifiedName~ConsoleTests.EveryPageInEveryLanguageAndSchemeHasNoSeriousAccessibilityViolationsAndIsPhotographedForTheDocs"
ls -l docs/emails/ docs/pages/ docs/console/
