//! Visitor surveys' results: the answers screens of a channel reported
//! (`survey_answer` events), counted per answer and language, beside the
//! question and answers as the live release words them.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::State;
use kiosk_core::content::ContentPack;
use kiosk_core::locale::Localized;
use kiosk_core::manifest::Manifest;
use serde::Serialize;

use super::db::Role;
use super::principal::Principal;
use crate::db::SurveyCount;
use crate::error::{ApiError, ApiResult};
use crate::extract::ChannelName;
use crate::state::AppState;

/// One answer of a survey and how often it was chosen.
#[derive(Debug, Serialize, ts_rs::TS)]
#[ts(export, export_to = "console/src/generated/")]
pub struct AnswerCount {
    /// The answer's id.
    pub option: String,
    /// Its words per language (empty when the live release no longer has it).
    pub label: Localized<String>,
    /// How many visitors chose it.
    #[ts(type = "number")]
    pub count: u64,
    /// Of those, how many per language.
    #[ts(type = "Record<string, number>")]
    pub by_locale: BTreeMap<String, u64>,
}

/// One survey's results.
#[derive(Debug, Serialize, ts_rs::TS)]
#[ts(export, export_to = "console/src/generated/")]
pub struct SurveyResult {
    /// The survey's id.
    pub survey: String,
    /// Where the live release asks it (`chapter "invest" scene "your-visit"`), if it does.
    pub place: Option<String>,
    /// The question per language (empty when the live release no longer asks it).
    pub question: Localized<String>,
    /// Every answer, as the release orders them, then answers it no longer has.
    pub answers: Vec<AnswerCount>,
    /// Every answer given.
    #[ts(type = "number")]
    pub total: u64,
}

/// The answer of `GET /v1/admin/channels/{channel}/surveys`.
#[derive(Debug, Serialize, ts_rs::TS)]
#[ts(export, export_to = "console/src/generated/")]
pub struct SurveyResults {
    /// The channel.
    pub channel: String,
    /// Each survey asked now or answered before.
    pub surveys: Vec<SurveyResult>,
}

/// `GET /v1/admin/channels/{channel}/surveys`.
pub async fn results(
    State(state): State<AppState>,
    who: Principal,
    ChannelName(channel): ChannelName,
) -> ApiResult<Json<SurveyResults>> {
    who.require(&channel, Role::Viewer)?;
    state.require_channel(&channel).await?;
    let counts = state.db.survey_counts(channel.clone()).await?;
    let live = match state.current_release(&channel).await? {
        Some(release) => Some(Manifest::decode(&release.manifest).map_err(|e| ApiError::internal(&e))?),
        None => None,
    };
    let surveys = tally(live.as_ref().map(|m| &m.content), counts);
    Ok(Json(SurveyResults { channel, surveys }))
}

/// The live content's surveys in its order, each answer counted, then surveys
/// and answers it no longer has, as they were reported.
fn tally(live: Option<&ContentPack>, counts: Vec<SurveyCount>) -> Vec<SurveyResult> {
    let mut surveys: Vec<SurveyResult> = Vec::new();
    for chapter in live.iter().flat_map(|content| &content.chapters) {
        for scene in &chapter.scenes {
            let Some(survey) = &scene.survey else { continue };
            surveys.push(SurveyResult {
                survey: survey.id.clone(),
                place: Some(format!("chapter \"{}\" scene \"{}\"", chapter.id, scene.id)),
                question: survey.question.clone(),
                answers: survey
                    .options
                    .iter()
                    .map(|o| AnswerCount {
                        option: o.id.clone(),
                        label: o.label.clone(),
                        count: 0,
                        by_locale: BTreeMap::new(),
                    })
                    .collect(),
                total: 0,
            });
        }
    }
    for row in counts {
        let index = match surveys.iter().position(|s| s.survey == row.survey) {
            Some(index) => index,
            None => {
                surveys.push(SurveyResult {
                    survey: row.survey.clone(),
                    place: None,
                    question: Localized::default(),
                    answers: Vec::new(),
                    total: 0,
                });
                surveys.len() - 1
            }
        };
        let survey = &mut surveys[index];
        let answer = match survey.answers.iter().position(|a| a.option == row.option) {
            Some(i) => &mut survey.answers[i],
            None => {
                survey.answers.push(AnswerCount {
                    option: row.option.clone(),
                    label: Localized::default(),
                    count: 0,
                    by_locale: BTreeMap::new(),
                });
                survey.answers.last_mut().expect("just pushed")
            }
        };
        answer.count += row.count;
        *answer.by_locale.entry(row.locale).or_default() += row.count;
        survey.total += row.count;
    }
    surveys
}
