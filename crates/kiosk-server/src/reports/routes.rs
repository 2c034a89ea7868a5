//! Reports over HTTP: `GET /v1/admin/reports/{report}` answers a
//! [`ReportPage`] as JSON, or one of its tables as CSV with
//! `format=csv&table=NAME`; `GET /v1/admin/yearly-report?year=2026&lang=vi`
//! answers the yearly report as a PDF (or its numbers as JSON with
//! `format=json`; [`super::yearly`]). A reader sees the channels they may
//! view; `channel=` narrows to one.

use axum::Json;
use axum::extract::{Path as UrlPath, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::db::CountQuery;
use super::pages::{self, Counts, ReportKind, ReportPage, ScreenInfo, Span};
use super::range::DayRange;
use crate::console::db::Role;
use crate::console::principal::Principal;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use kiosk_yearly_report::Lang;

/// The query of `GET /v1/admin/reports/{report}`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportQuery {
    /// The first day, `YYYY-MM-DD` (default: 29 days before `to`).
    pub from: Option<String>,
    /// The last day, included (default: today in the report zone).
    pub to: Option<String>,
    /// Only this channel.
    pub channel: Option<String>,
    /// `json` (default) or `csv`.
    pub format: Option<String>,
    /// With `format=csv`: which table.
    pub table: Option<String>,
}

/// The channels `who` may read, narrowed to `channel` when given (`None`: all).
pub(crate) async fn channels_for(
    state: &AppState,
    who: &Principal,
    channel: Option<&str>,
) -> ApiResult<Option<Vec<String>>> {
    match channel {
        Some(channel) => {
            who.require(channel, Role::Viewer)?;
            state.require_channel(channel).await?;
            Ok(Some(vec![channel.to_owned()]))
        }
        None => {
            who.require_somewhere(Role::Viewer)?;
            Ok(who.readable_channels())
        }
    }
}

/// Every screen as reports name them, of `channels` (`None`: all).
pub(crate) async fn screens(state: &AppState, channels: &Option<Vec<String>>) -> ApiResult<Vec<ScreenInfo>> {
    Ok(state
        .fleet
        .screens()
        .await?
        .into_iter()
        .filter(|s| channels.as_ref().is_none_or(|c| c.contains(&s.channel)))
        .map(|s| ScreenInfo {
            enrolled_at: s.enrolled_at.as_deref().and_then(|t| t.parse().ok()),
            id: s.id,
            name: s.name,
            channel: s.channel,
            location: s.location,
            country: s.country,
        })
        .collect())
}

/// Reads what report `kind` needs over `range`.
pub(crate) async fn counts(
    state: &AppState,
    kind: ReportKind,
    range: &DayRange,
    channels: &Option<Vec<String>>,
) -> ApiResult<Counts> {
    let (from, to) = range.bounds();
    let Some(event_kind) = kind.event_kind() else {
        let uptime = state.reports.uptime_by_screen(from, to, channels.clone()).await?;
        return Ok(Counts { uptime, ..Counts::default() });
    };
    let query = CountQuery { kind: event_kind, from, to, channels: channels.clone() };
    Ok(Counts {
        by_day: state.reports.counts_by_day(query.clone()).await?,
        by_key: state.reports.counts_by_key(query.clone()).await?,
        by_screen: state.reports.counts_by_screen(query).await?,
        uptime: Vec::new(),
    })
}

/// `GET /v1/admin/reports/{report}`.
pub async fn report(
    State(state): State<AppState>,
    who: Principal,
    UrlPath(name): UrlPath<String>,
    Query(query): Query<ReportQuery>,
) -> ApiResult<Response> {
    let kind = ReportKind::parse(&name).ok_or_else(|| {
        let names: Vec<_> = ReportKind::ALL.iter().map(|k| k.as_str()).collect();
        ApiError::not_found(
            "no_report",
            format!("there is no report {name:?}; there are {}", names.join(", ")),
        )
    })?;
    let zone = &state.settings.report_zone;
    let now = state.clock.now();
    let range = DayRange::parse(query.from.as_deref(), query.to.as_deref(), now, zone)
        .map_err(|e| ApiError::bad_request("invalid_range", e.0))?;
    let channels = channels_for(&state, &who, query.channel.as_deref()).await?;
    let counts = counts(&state, kind, &range, &channels).await?;
    let screens = screens(&state, &channels).await?;
    let covered = match &channels {
        Some(c) => c.clone(),
        None => state.db.channels().await?.into_iter().map(|c| c.name).collect(),
    };
    let page = pages::page(kind, &Span { range, zone, now }, covered, &counts, &screens);
    match query.format.as_deref() {
        None | Some("json") => Ok(Json(page).into_response()),
        Some("csv") => csv(&page, query.table.as_deref()),
        Some(other) => {
            Err(ApiError::bad_request("invalid_format", format!("format = {other:?}: give json or csv")))
        }
    }
}

fn csv(page: &ReportPage, table: Option<&str>) -> ApiResult<Response> {
    let names: Vec<_> = page.tables.iter().map(|t| t.name.as_str()).collect();
    let table = match table {
        Some(name) => page.tables.iter().find(|t| t.name == name),
        None => page.tables.first(),
    }
    .ok_or_else(|| {
        ApiError::not_found("no_table", format!("this report's tables are {}", names.join(", ")))
    })?;
    let mut out = csv::Writer::from_writer(Vec::new());
    let written = out.write_record(&table.columns).and_then(|()| {
        table.rows.iter().try_for_each(|row| out.write_record(row.iter().map(|c| c.to_field())))
    });
    written.map_err(|e| ApiError::internal(&e))?;
    let body = out.into_inner().map_err(|e| ApiError::internal(&e.into_error()))?;
    let file = format!("{}-{}-{}-{}.csv", page.report.as_str(), table.name, page.from, page.to);
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{file}\""))
        .map_err(|e| ApiError::internal(&e))?;
    Ok((
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8")),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        body,
    )
        .into_response())
}

/// The query of `GET /v1/admin/yearly-report`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct YearlyQuery {
    /// The calendar year.
    pub year: i16,
    /// `vi` (default) or `en`.
    pub lang: Option<String>,
    /// Only this channel.
    pub channel: Option<String>,
    /// `pdf` (default) or `json`.
    pub format: Option<String>,
}

/// `GET /v1/admin/yearly-report`.
pub async fn yearly(
    State(state): State<AppState>,
    who: Principal,
    Query(query): Query<YearlyQuery>,
) -> ApiResult<Response> {
    let lang: Lang =
        query.lang.as_deref().unwrap_or("vi").parse().map_err(|e: kiosk_yearly_report::UnknownLang| {
            ApiError::bad_request("invalid_lang", e.to_string())
        })?;
    let channels = channels_for(&state, &who, query.channel.as_deref()).await?;
    let report = super::yearly::gather(&state, query.year, channels, lang).await?;
    match query.format.as_deref() {
        Some("json") => Ok(Json(report).into_response()),
        None | Some("pdf") => {
            let pdf = super::yearly::pdf(report, lang).await.map_err(|e| ApiError::internal(&e))?;
            let file = format!("attachment; filename=\"yearly-report-{}-{lang}.pdf\"", query.year);
            let disposition = HeaderValue::from_str(&file).map_err(|e| ApiError::internal(&e))?;
            Ok((
                [
                    (header::CONTENT_TYPE, HeaderValue::from_static("application/pdf")),
                    (header::CONTENT_DISPOSITION, disposition),
                ],
                pdf,
            )
                .into_response())
        }
        Some(other) => {
            Err(ApiError::bad_request("invalid_format", format!("format = {other:?}: give pdf or json")))
        }
    }
}
