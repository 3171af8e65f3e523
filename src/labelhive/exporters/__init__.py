"""Export formats; each module writes one family of Label Studio export types."""
from labelhive.exporters.minimal import min_records, parse_controls, write_json_min
from labelhive.exporters.tabular import write_csv

__all__ = ["min_records", "parse_controls", "write_csv", "write_json_min"]
