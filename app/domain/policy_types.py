"""The policy types of docs/rules.md (seeds 000, 001, 002, 004): their settings and rules.

Type ids and setting keys are a contract (CLI `--set`, sync payloads, effective settings).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import Enum

from app.domain.errors import PolicyRuleError, RuleViolation, SettingError
from app.domain.settings import (
    SettingKind,
    Settings,
    SettingSpec,
    SettingValue,
    check_value,
    parse_value,
)
from app.domain.windows import describe_minutes, parse_window


class Category(Enum):
    SITES = "sites"
    DEVICES = "devices"


PATCH_CLASSIFICATIONS = (
    "critical",
    "security",
    "definition",
    "update-rollup",
    "service-pack",
    "feature-pack",
    "driver",
    "tools",
    "update",
)
PATCH_ACTIONS = ("do-not-deploy", "deploy-all", "deploy-approved")
PATCH_ACTION_LABELS = ("Do not deploy", "Deploy all", "Deploy only Partner or NOC Approved")
ALERT_SEVERITIES = ("critical", "high", "medium", "low", "informational")
INSTALL_WINDOW_MINIMUM = 4 * 60
REBOOT_WINDOW_MINIMUM = 60

Rule = Callable[[Settings], list[SettingError]]


@dataclass(frozen=True)
class PolicyType:
    id: str
    label: str
    category: Category
    settings: tuple[SettingSpec, ...]
    description: str = ""
    rules: tuple[Rule, ...] = ()

    def spec(self, key: str) -> SettingSpec:
        for spec in self.settings:
            if spec.key == key:
                return spec
        known = ", ".join(s.key for s in self.settings)
        raise SettingError(key, f"unknown setting for policy type '{self.id}'; known: {known}")

    def defaults(self) -> Settings:
        return {s.key: _copy(s.default) for s in self.settings}


def _copy(value: SettingValue) -> SettingValue:
    return list(value) if isinstance(value, list) else value


def _bool(key: str, label: str, default: bool, help: str = "", **kw: object) -> SettingSpec:
    return SettingSpec(key, label, SettingKind.BOOL, default, help=help, **kw)  # type: ignore[arg-type]


# --- rules -----------------------------------------------------------------------------------


def _rmm_rules(s: Settings) -> list[SettingError]:
    problems = []
    if s.get("rmm_enabled") and not s.get("notification_rule"):
        problems.append(
            SettingError("notification_rule", "is required when RMM services are enabled")
        )
    if s.get("noc_enabled") and not s.get("rmm_enabled"):
        problems.append(SettingError("noc_enabled", "NOC services need RMM services enabled"))
    level = s.get("noc_access_level")
    if isinstance(level, int) and level > 0 and not s.get("noc_enabled"):
        # seed 002 phase 5: levels 1-3 give NOC technicians access; 0 is notifications only
        problems.append(SettingError(
            "noc_access_level",
            f"level {level} gives NOC technicians access, but NOC services are off; set "
            "noc_access_level to 0 (notifications only) or turn on noc_enabled"))
    return problems


def _window_rule(key: str, minimum: int, what: str) -> Rule:
    def rule(s: Settings) -> list[SettingError]:
        value = s.get(key)
        if not isinstance(value, str) or not value:
            return []
        window = parse_window(value)
        if window.duration_minutes < minimum:
            return [
                SettingError(
                    key,
                    f"{what} window must be at least {describe_minutes(minimum)}; "
                    f"this one is {describe_minutes(window.duration_minutes)}",
                )
            ]
        return []

    return rule


def _psa_rules(s: Settings) -> list[SettingError]:
    problems = []
    url = s.get("psa_url")
    if isinstance(url, str) and url and not url.lower().startswith("https://"):
        # the API keys travel with every request: never over plain http (seed 002)
        fixed = "https://" + url.split("://", 1)[1] if "://" in url else f"https://{url}"
        problems.append(SettingError(
            "psa_url", f"'{url}' must start with https:// (the API keys are sent with every "
            f"request); write it as '{fixed}'"))
    if s.get("ticket_sync") and not s.get("ticket_severities"):
        problems.append(
            SettingError("ticket_severities", "choose at least one severity when ticket sync is on")
        )
    return problems


# --- the types -------------------------------------------------------------------------------

RMM_SITE_CONFIGURATION = PolicyType(
    id="rmm-site-configuration",
    label="RMM Site Configuration",
    category=Category.SITES,
    description="Site-level RMM settings: enables RMM (and optionally NOC) services on a site.",
    settings=(
        _bool("rmm_enabled", "Enable RMM Services", False,
              "The platform agent installs every RMM component once this is on."),
        _bool("noc_enabled", "Enable NOC Services", False,
              "NOC Services are a paid add-on, charged on your monthly invoice.",
              enabled_by="rmm_enabled", extra={"paid": "yes"}),
        SettingSpec("notification_rule", "Notification Rule", SettingKind.TEXT, "",
                    help="How RMM and the NOC reach you; required when RMM is enabled.",
                    enabled_by="rmm_enabled"),
        SettingSpec("noc_access_level", "NOC Access Level", SettingKind.INT, 0,
                    minimum=0, maximum=3, enabled_by="rmm_enabled",
                    help="0 = NOC notifications only; 1–3 give NOC technicians access."),
        SettingSpec("coverage_hours", "NOC Coverage Hours", SettingKind.CHOICE, "24x7",
                    choices=("business-hours", "24x7"),
                    choice_labels=("Business hours", "24×7"), enabled_by="noc_enabled"),
        _bool("auto_credentials_servers", "Automatic Credentials for Servers", False,
              "Lets the platform manage server credentials instead of the vault's.",
              enabled_by="rmm_enabled"),
        _bool("auto_credentials_desktops", "Automatic Credentials for Desktops", False,
              enabled_by="rmm_enabled"),
    ),
    rules=(_rmm_rules,),
)

REMOTE_ACCESS = PolicyType(
    id="remote-access",
    label="Remote Access",
    category=Category.DEVICES,
    description="ScreenConnect remote access to the site's devices.",
    settings=(
        _bool("allow_require_consent", "Is User Allowed to Require Consent", True),
        _bool("auto_update_agent", "Automatically Update Agent Version", True,
              "Recommended always on."),
        _bool("notification_balloon", "Notification Balloon", False),
    ),
)


def _patching(type_id: str, label: str, what: str) -> PolicyType:
    classifications = tuple(
        SettingSpec(f"classification.{name}", name.replace("-", " ").title(), SettingKind.CHOICE,
                    "deploy-approved", choices=PATCH_ACTIONS, choice_labels=PATCH_ACTION_LABELS,
                    enabled_by="automation", group="Patch classifications")
        for name in PATCH_CLASSIFICATIONS
    )
    return PolicyType(
        id=type_id,
        label=label,
        category=Category.DEVICES,
        description=f"How OS patches reach {what}.",
        settings=(
            _bool("automation", "OS Patching Automation", False),
            *classifications,
            SettingSpec("install_window", "Installation Window", SettingKind.WINDOW, None,
                        help="Local time, at least 4 hours; may cross midnight.",
                        minimum_window_minutes=INSTALL_WINDOW_MINIMUM, enabled_by="automation",
                        group="Schedule"),
            SettingSpec("reboot_window", "Reboot Window", SettingKind.WINDOW, None,
                        help="Local time, at least 1 hour; may cross midnight.",
                        minimum_window_minutes=REBOOT_WINDOW_MINIMUM, enabled_by="automation",
                        group="Schedule"),
        ),
        rules=(
            _window_rule("install_window", INSTALL_WINDOW_MINIMUM, "installation"),
            _window_rule("reboot_window", REBOOT_WINDOW_MINIMUM, "reboot"),
        ),
    )


OS_PATCHING_DESKTOP = _patching("os-patching-desktop", "OS Patching Desktop", "desktops")
OS_PATCHING_SERVER = _patching("os-patching-server", "OS Patching Server", "servers")

COMMUNICATOR = PolicyType(
    id="communicator",
    label="Communicator",
    category=Category.DEVICES,
    description="The taskbar Communicator: news feeds, instant messages, self-help scripts.",
    settings=(
        _bool("enabled", "Communicator Enabled", False),
        _bool("news_feeds", "News Feeds", True, enabled_by="enabled"),
        _bool("instant_messages", "Instant Messages", True, enabled_by="enabled"),
        _bool("self_help_scripts", "Self-Help Scripts", True, enabled_by="enabled"),
    ),
)

PSA_INTEGRATION = PolicyType(
    id="psa-integration",
    label="PSA Integration",
    category=Category.SITES,
    description="ConnectWise PSA ticket and contact sync. API keys live in the vault.",
    settings=(
        SettingSpec("psa_url", "PSA URL", SettingKind.TEXT, ""),
        SettingSpec("company_id", "PSA Company Id", SettingKind.TEXT, ""),
        _bool("ticket_sync", "Ticket Sync", True, "Create PSA tickets from RMM alerts."),
        SettingSpec("ticket_severities", "Alert Severities That Create Tickets",
                    SettingKind.MULTI_CHOICE, ["critical"], choices=ALERT_SEVERITIES,
                    enabled_by="ticket_sync"),
        *(
            SettingSpec(f"priority_map.{sev}", f"Priority for {sev.title()} Alerts",
                        SettingKind.TEXT, default, enabled_by="ticket_sync",
                        group="Priority mapping")
            for sev, default in zip(
                ALERT_SEVERITIES, ("Priority 1 - Critical", "Priority 2 - High",
                                   "Priority 3 - Normal", "Priority 4 - Low",
                                   "Priority 5 - Planning"), strict=True
            )
        ),
        _bool("contact_sync", "Contact Sync", True, "Recommended on."),
        _bool("psa_to_rmm_sync", "PSA-to-RMM Sync", False,
              "Recommended off when the site has NOC services, on otherwise."),
        SettingSpec("service_board", "Service Board", SettingKind.TEXT, ""),
        SettingSpec("ticket_type", "Ticket Type", SettingKind.TEXT, ""),
        SettingSpec("ticket_source", "Ticket Source", SettingKind.TEXT, ""),
        SettingSpec("note_sync", "Note Sync", SettingKind.CHOICE, "internal",
                    choices=("off", "public", "internal"),
                    choice_labels=("Off", "Public notes", "Internal notes")),
        _bool("sync_communicator_tickets", "Sync Communicator Tickets", False, "Recommended off."),
        _bool("device_sync", "Device/Asset Sync", True),
    ),
    rules=(_psa_rules,),
)

HELP_DESK_CHAT = PolicyType(
    id="help-desk-chat",
    label="Help Desk Chat",
    category=Category.DEVICES,
    description="The Help Desk chat client on end users' desktops.",
    settings=(
        _bool("enabled", "Help Desk Chat Enabled", False),
        SettingSpec("deployment", "Deployment", SettingKind.CHOICE, "taskbar",
                    choices=("desktop-icon", "taskbar", "both"),
                    choice_labels=("Desktop icon", "Taskbar", "Desktop icon and taskbar"),
                    enabled_by="enabled"),
        SettingSpec("branding_name", "Branding Name", SettingKind.TEXT, "", enabled_by="enabled"),
    ),
)

# Device policy types that apply to one kind of device only (seed 000: OS Patching Desktop /
# OS Patching Server); the others apply to every device.
DEVICE_KIND_OF_TYPE: Mapping[str, str] = {
    "os-patching-desktop": "desktop",
    "os-patching-server": "server",
}


def applies_to(type_id: str, device_kind: str) -> bool:
    """Whether settings of `type_id` reach a device of `device_kind`: the patching types are
    one for desktops and one for servers (seed 000); every other type reaches every device."""
    return DEVICE_KIND_OF_TYPE.get(type_id, device_kind) == device_kind


def device_kind_problem(type_id: str, device_name: str, device_kind: str) -> str | None:
    """Why a device of `device_kind` cannot take a setting of `type_id` (None: it can)."""
    wanted = DEVICE_KIND_OF_TYPE.get(type_id)
    if wanted is None or wanted == device_kind:
        return None
    other = "os-patching-server" if wanted == "desktop" else "os-patching-desktop"
    return (f"device '{device_name}' is a {device_kind}; '{type_id}' applies to {wanted}s "
            f"only. Override '{other}' on it instead, or choose a {wanted}")


POLICY_TYPES: Mapping[str, PolicyType] = {
    t.id: t
    for t in (
        RMM_SITE_CONFIGURATION,
        REMOTE_ACCESS,
        OS_PATCHING_DESKTOP,
        OS_PATCHING_SERVER,
        COMMUNICATOR,
        PSA_INTEGRATION,
        HELP_DESK_CHAT,
    )
}


def policy_type(type_id: str) -> PolicyType:
    try:
        return POLICY_TYPES[type_id]
    except KeyError:
        known = ", ".join(POLICY_TYPES)
        raise RuleViolation(f"unknown policy type '{type_id}'; known types: {known}") from None


def parse_assignments(ptype: PolicyType, assignments: list[str]) -> Settings:
    """Parse `KEY=VALUE` texts into typed values (no cross-setting rules yet)."""
    parsed: Settings = {}
    for item in assignments:
        key, sep, raw = item.partition("=")
        key = key.strip()
        if not sep or not key:
            raise SettingError(item, "write settings as KEY=VALUE")
        parsed[key] = parse_value(ptype.spec(key), raw)
    return parsed


def build_settings(
    ptype: PolicyType, policy_name: str, base: Mapping[str, SettingValue], changes: Settings
) -> Settings:
    """Apply `changes` over `base` (the type's defaults fill gaps) and enforce every rule."""
    settings = ptype.defaults()
    settings.update({k: v for k, v in base.items() if k in settings})
    problems: list[SettingError] = []
    for key, value in changes.items():
        try:
            settings[key] = check_value(ptype.spec(key), value)
        except SettingError as exc:
            problems.append(exc)
    if not problems:
        for rule in ptype.rules:
            problems.extend(rule(settings))
    if problems:
        raise PolicyRuleError(policy_name, problems)
    return settings


def validate_settings(
    ptype: PolicyType, policy_name: str, settings: Mapping[str, SettingValue]
) -> list[SettingError]:
    """Every problem of a complete settings dict (for live form validation)."""
    try:
        build_settings(ptype, policy_name, {}, dict(settings))
    except PolicyRuleError as exc:
        return exc.problems
    return []
