"""Microsoft Teams: the Teams SDK mounted on our aiohttp app, over the same core as Slack."""
