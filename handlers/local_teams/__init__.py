"""Teams without a Microsoft account: `serve --teams-local` and `teams-say` (README, Microsoft Teams)."""
