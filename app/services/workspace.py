"""Opening and creating workspaces, and the bundle of services a front end works with."""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from app.domain.model import Partner, new_id
from app.services.effective import EffectiveService
from app.services.hierarchy import CompanyService, DeviceService, SiteService
from app.services.packages import PackageService
from app.services.policies import PolicyService
from storage.database import Database, default_workspace_path, resolve_workspace_path
from storage.repository import Repository

if TYPE_CHECKING:
    from app.services.attachments import AttachmentService
    from app.services.client_secrets import ClientSecretStore
    from app.services.golive import GoLiveService
    from app.services.helpdesk import HelpDeskService
    from app.services.profiles import ProfileService
    from app.services.rules import RuleService
    from app.services.sync import SyncService
    from app.services.vault import Vault

DEFAULT_PARTNER_NAME = "My MSP"


class Workspace:
    """An open workspace and the services over it. Front ends get the services they need."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.companies = CompanyService(db)
        self.sites = SiteService(db)
        self.devices = DeviceService(db)
        self.policies = PolicyService(db)
        self.packages = PackageService(db)
        self.effective = EffectiveService(db)
        self._profiles: ProfileService | None = None
        self._rules: RuleService | None = None
        self._vault: Vault | None = None
        self._sync: SyncService | None = None
        self._helpdesk: HelpDeskService | None = None
        self._attachments: AttachmentService | None = None
        # Pages make services from worker threads: two vaults would mean two key sessions,
        # one unlocked and one not.
        self._making = threading.RLock()

    @classmethod
    def open(cls, path: str | os.PathLike[str] | None, *, create: bool = False) -> Workspace:
        db = Database.open(path, create=create)
        workspace = cls(db)
        if create:
            workspace.ensure_partner()
        return workspace

    @property
    def path(self) -> Path:
        return self.db.path

    @property
    def name(self) -> str:
        return self.db.path.stem

    def ensure_partner(self, name: str = DEFAULT_PARTNER_NAME) -> Partner:
        with self.db.write() as session:
            repo = Repository(session)
            partner = repo.partner()
            if partner is None:
                partner = Partner(new_id(), name)
                repo.create_partner(partner)
                repo.set_info("workspace_id", new_id())
            return partner

    def is_empty(self) -> bool:
        with self.db.read() as session:
            repo = Repository(session)
            return not repo.companies() and not repo.policies() and not repo.packages()

    def pending_changes(self) -> int:
        """Changes recorded in the outbox and not yet confirmed by a server."""
        with self.db.read() as session:
            return Repository(session).outbox_count()

    @property
    def profiles(self) -> ProfileService:
        """Help Desk client profiles: import, validate, export. Made on first use: the
        spreadsheet, phone and email libraries under it are not loaded for the first page."""
        with self._making:
            if self._profiles is None:
                from app.services.profiles import ProfileService

                self._profiles = ProfileService(self.db)
            return self._profiles

    @property
    def vault(self) -> Vault:
        """The encrypted vault: its key session, items, app secrets and exchange. Made on
        first use: its crypto is not loaded for front ends that never touch it."""
        with self._making:
            if self._vault is None:
                from app.services.vault import Vault

                self._vault = Vault(self.db)
            return self._vault

    @property
    def sync(self) -> SyncService:
        """Sync with the backend: its settings, the client secret's store, the engine. Made
        on first use (it loads the HTTP client)."""
        with self._making:
            if self._sync is None:
                from app.services.sync import SyncService

                self._sync = SyncService(self.db, lambda: self.vault)
            return self._sync

    def client_secrets(self, name: str, keychain_service: str) -> ClientSecretStore:
        """The store of another API client's secret, kept the way sync keeps its own
        (the vault's application secret `name`, else the OS keychain under
        `keychain_service`)."""
        from app.services.client_secrets import ClientSecretStore

        return ClientSecretStore(self.db, lambda: self.vault, name, keychain_service)

    @property
    def rules(self) -> RuleService:
        """The partner's notification rules. Made on first use, like the Help Desk service
        (the rules are Help Desk domain objects)."""
        if self._rules is None:
            from app.services.rules import RuleService

            self._rules = RuleService(self.db)
        return self._rules

    @property
    def helpdesk(self) -> HelpDeskService:
        """Help Desk site setup and go-live readiness (issue 8). Made on first use, like the
        vault: front ends that never open it do not load it."""
        if self._helpdesk is None:
            from app.services.helpdesk import HelpDeskService

            self._helpdesk = HelpDeskService(self.db, self.effective)
        return self._helpdesk

    @property
    def golive(self) -> GoLiveService:
        """The go-live journey of each site (issue 19), over the Help Desk service."""
        from app.services.golive import GoLiveService

        return GoLiveService(self.db, self.helpdesk)

    @property
    def attachments(self) -> AttachmentService:
        """The files attached to Help Desk references (their bytes, by SHA-256). Made on
        first use, like the Help Desk service."""
        if self._attachments is None:
            from app.services.attachments import AttachmentService

            self._attachments = AttachmentService(self.db)
        return self._attachments

    def close(self) -> None:
        if self._vault is not None:
            self._vault.close()  # locking drops the key from memory
        self.db.close()


__all__ = ["Workspace", "default_workspace_path", "resolve_workspace_path"]
