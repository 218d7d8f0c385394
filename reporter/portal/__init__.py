"""The research portal kept in the output folder (``reporter publish``)."""

from reporter.portal.site import PublishResult, build_site, publish

__all__ = ["PublishResult", "build_site", "publish"]
