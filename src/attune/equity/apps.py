"""The equity app: the leader dashboard over the report from the app's own database."""

from django.apps import AppConfig


class EquityConfig(AppConfig):
    name = "attune.equity"
    label = "equity"
    verbose_name = "Equity analytics"
