//! The permission table: which [`Who`] may run which [`Action`], and which actions need the
//! password again.

use super::Role;

/// The columns of the permission table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Who {
    /// [`Caller::Visitor`].
    Visitor,
    /// Staff with [`Role::Operator`].
    Operator,
    /// Staff with [`Role::Supervisor`].
    Supervisor,
    /// Staff with [`Role::Admin`].
    Admin,
    /// [`Caller::CliOperator`].
    Cli,
}

impl Who {
    /// Every column, in the order of the table in `docs/security.md`.
    pub const ALL: [Who; 5] = [
        Who::Visitor,
        Who::Operator,
        Who::Supervisor,
        Who::Admin,
        Who::Cli,
    ];

    /// The column heading used in `docs/security.md`.
    pub fn heading(self) -> &'static str {
        match self {
            Self::Visitor => "visitor",
            Self::Operator => "operator",
            Self::Supervisor => "supervisor",
            Self::Admin => "admin",
            Self::Cli => "kioskctl",
        }
    }
}

/// Everything a caller can ask the kiosk to do, grouped by what it exposes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Version, database reachability, limits, sync and update state: no personal data.
    ViewHealth,
    /// Profiles, forms, validation rules, divisions, ethnic groups, mode rules, settings.
    ReadRules,
    /// Fill in and submit an application, save a draft, print its own receipt or letter.
    UseWizard,
    /// Cameras, scanners, uploads and the ID-card reader during a visitor's session.
    CaptureDocuments,
    /// On-screen Chinese input and voice guidance.
    UseInput,
    /// A visitor looks up the status of their application (throttled).
    LookUpStatus,
    /// Sign in, sign out, ask who is signed in.
    SignIn,
    /// Change one's own password, enter it again for sensitive actions.
    ManageOwnAccount,
    /// List and open queued applications and saved drafts (personal data).
    ViewQueue,
    /// Retry an upload now, synchronise now.
    RunQueue,
    /// The day report.
    ViewReports,
    /// List and open held applications (operators see why theirs were returned).
    ViewReview,
    /// Approve or return reviewed applications (the supervisor's password is re-checked).
    DecideReview,
    /// Write applications to an export bundle, list export destinations.
    Export,
    /// Change settings or the retention period.
    ChangeSettings,
    /// Enrol (or re-enrol) the kiosk with the platform.
    Enrol,
    /// Check for and install updates.
    InstallUpdate,
    /// Leave the locked-down kiosk screen.
    ExitKiosk,
    /// Add, reset, disable, enable and unlock staff accounts; list them.
    ManageStaff,
    /// Purge payloads past the retention period.
    Purge,
    /// Read or verify the audit log.
    ReadAudit,
    /// Check the database, run the doctor, write a support bundle.
    Maintain,
    /// Issue the first-administrator setup code and use it.
    SetUp,
}

use Who::{Admin as A, Cli as C, Operator as O, Supervisor as S, Visitor as V};

/// The permission table: for each action, the callers that may run it.
pub const PERMISSIONS: &[(Action, &[Who])] = &[
    (Action::ViewHealth, &[V, O, S, A, C]),
    (Action::ReadRules, &[V, O, S, A, C]),
    (Action::UseWizard, &[V, O, S, A, C]),
    (Action::CaptureDocuments, &[V, O, S, A, C]),
    (Action::UseInput, &[V, O, S, A, C]),
    (Action::LookUpStatus, &[V, O, S, A, C]),
    (Action::SignIn, &[V, O, S, A, C]),
    (Action::ManageOwnAccount, &[O, S, A]),
    (Action::ViewQueue, &[O, S, A, C]),
    (Action::RunQueue, &[O, S, A, C]),
    (Action::ViewReports, &[O, S, A, C]),
    (Action::ViewReview, &[O, S, A, C]),
    (Action::DecideReview, &[S, A, C]),
    (Action::Export, &[S, A, C]),
    (Action::ChangeSettings, &[A, C]),
    (Action::Enrol, &[A, C]),
    (Action::InstallUpdate, &[A, C]),
    (Action::ExitKiosk, &[A]),
    (Action::ManageStaff, &[A, C]),
    (Action::Purge, &[A, C]),
    (Action::ReadAudit, &[A, C]),
    (Action::Maintain, &[A, C]),
    (Action::SetUp, &[C]),
];

impl Action {
    /// The callers that may run this action.
    pub fn allowed(self) -> &'static [Who] {
        PERMISSIONS
            .iter()
            .find(|(action, _)| *action == self)
            .map_or(&[], |(_, who)| *who)
    }

    /// Whether a staff member must have entered their password within the re-authentication
    /// window to run this action (export, settings, re-enrolment, staff management, purge,
    /// updates, leaving the kiosk screen).
    pub fn needs_reauth(self) -> bool {
        matches!(
            self,
            Self::Export
                | Self::ChangeSettings
                | Self::Enrol
                | Self::ManageStaff
                | Self::Purge
                | Self::InstallUpdate
                | Self::ExitKiosk
        )
    }
}

/// The lowest staff role that may run `action`, for the refusal message.
pub(super) fn lowest_role(action: Action) -> Option<Role> {
    let allowed = action.allowed();
    [
        (Who::Operator, Role::Operator),
        (Who::Supervisor, Role::Supervisor),
        (Who::Admin, Role::Admin),
    ]
    .into_iter()
    .find(|(who, _)| allowed.contains(who))
    .map(|(_, role)| role)
}
