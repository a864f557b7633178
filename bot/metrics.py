"""Prometheus metrics, one registry per app (so tests and several apps never collide)."""

from __future__ import annotations

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    PlatformCollector,
    ProcessCollector,
    disable_created_metrics,
    generate_latest,
)

disable_created_metrics()  # no `_created` series beside every counter and histogram

MINUTES = 60.0
SLO_BUCKETS = tuple(m * MINUTES for m in (1, 2, 5, 10, 15, 30, 60, 120, 240, 480, 1440))
ACK_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        ProcessCollector(registry=self.registry)  # CPU, memory, open files of this process
        PlatformCollector(registry=self.registry)  # the Python version
        self.requests = Counter(
            "incident_comms_requests",
            "Inbound platform requests by kind and HTTP status",
            ["kind", "status"],
            registry=self.registry,
        )
        self.ack_latency = Histogram(
            "incident_comms_ack_seconds",
            "Time to answer an inbound request, by kind",
            ["kind"],
            buckets=ACK_BUCKETS,
            registry=self.registry,
        )
        self.api_errors = Counter(
            "incident_comms_slack_api_errors",
            "Slack Web API calls that failed, by method and error",
            ["method", "error"],
            registry=self.registry,
        )
        self.api_retries = Counter(
            "incident_comms_slack_api_retries",
            "Slack Web API retries, by reason",
            ["reason"],
            registry=self.registry,
        )
        self.active_incidents = Gauge(
            "incident_comms_active_incidents",
            "Incidents not yet resolved, by visibility (the status page shows only public ones)",
            ["visibility"],
            registry=self.registry,
        )
        self.deliveries = Counter(
            "incident_comms_deliveries",
            "Outbox delivery attempts by action (post/update) and outcome (delivered/pending/failed)",
            ["action", "status"],
            registry=self.registry,
        )
        self.external_deliveries = Counter(
            "incident_comms_external_deliveries",
            "E-mail and webhook delivery attempts by channel and outcome (delivered/pending/failed)",
            ["channel", "status"],
            registry=self.registry,
        )
        self.subscriptions = Counter(
            "incident_comms_subscriptions",
            "Subscription events: confirmation_sent/failed, confirmed, unsubscribed, and refusals "
            "(ip_cap, address_cap, global_cap, blocked_domain, bad_form)",
            ["event"],
            registry=self.registry,
        )
        self.reminders = Counter(
            "incident_comms_reminders",
            "Reminders by stage and outcome (posted, failed, withdrawn).",
            ["stage", "outcome"],
            registry=self.registry,
        )
        self.reminder_lateness = Histogram(
            "incident_comms_reminder_lateness_seconds",
            "Posted time minus the time the reminder was due.",
            buckets=(0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300),
            registry=self.registry,
        )
        self.background_failures = Counter(
            "incident_comms_background_failures",
            "Background jobs that raised",
            ["task"],  # not "job": Prometheus renames a scraped `job` label to `exported_job`
            registry=self.registry,
        )
        self.turned_away = Counter(
            "incident_comms_turned_away",
            "Requests answered 'busy, try again' because background work was at capacity",
            ["platform"],
            registry=self.registry,
        )

        self._comms_slos()

    def _comms_slos(self) -> None:
        """How well customers were kept informed (bot/slo), observed when each thing happens."""
        self.first_update = Histogram(
            "incident_comms_first_update_seconds",
            "Declared to the first customer message published, by severity",
            ["severity"],
            buckets=SLO_BUCKETS,
            registry=self.registry,
        )
        self.update_lateness = Histogram(
            "incident_comms_update_lateness_seconds",
            "How late a late customer update came after the time the previous message promised",
            ["severity"],
            buckets=SLO_BUCKETS,
            registry=self.registry,
        )
        self.approval_latency = Histogram(
            "incident_comms_approval_latency_seconds",
            "A draft version submitted to approved (the last approval needed), by severity",
            ["severity"],
            buckets=SLO_BUCKETS,
            registry=self.registry,
        )
        self.updates = Counter(
            "incident_comms_updates",
            "Customer updates that came by the promised time (on_time) or after it (late)",
            ["severity", "outcome"],
            registry=self.registry,
        )

    def render(self) -> bytes:
        return generate_latest(self.registry)
