//! Section 6: each survey question with its answers, counts and shares.

use crate::flow::Flow;
use crate::layout::line_height;
use crate::model::{Lang, YearlyReport};
use crate::numbers;
use crate::style::{BODY_SIZE, CONTENT_W, INK};
use crate::table::{Column, Table};
use crate::words::words;

pub(super) fn add(flow: &mut Flow, report: &YearlyReport, lang: Lang) {
    let w = words(lang);
    flow.section(w.surveys);
    let surveys: Vec<_> =
        report.surveys.iter().filter(|s| s.total > 0 || s.answers.iter().any(|a| a.count > 0)).collect();
    if surveys.is_empty() {
        flow.note(w.nothing_recorded);
        return;
    }
    for survey in surveys {
        let total = survey.total.max(survey.answers.iter().map(|a| a.count).sum());
        let mut answers: Vec<_> = survey.answers.iter().collect();
        answers.sort_by_key(|a| std::cmp::Reverse(a.count));
        let table = Table {
            title: None,
            columns: vec![
                Column::text(w.answer, 4.0),
                Column::number(w.answers_count, 1.0),
                Column::number(w.share, 1.0),
            ],
            rows: answers
                .iter()
                .map(|a| {
                    vec![
                        a.name().to_owned(),
                        numbers::count(a.count, lang),
                        numbers::share(a.count, total, lang),
                    ]
                })
                .collect(),
            total: Some(vec![
                w.total.to_owned(),
                numbers::count(total, lang),
                numbers::share(total, total, lang),
            ]),
        };
        let question = survey.question.as_deref().filter(|q| !q.trim().is_empty());
        let question = question.map(|q| format!("{}: {q}", w.question));
        let question_lines =
            question.as_deref().map_or(0, |q| flow.ts.wrap(q, false, BODY_SIZE, CONTENT_W).len());
        let keep = question_lines as f32 * line_height(BODY_SIZE) + 6.0 + flow.table_keep(&table);
        flow.heading(&survey.survey, keep);
        if let Some(question) = question {
            flow.paragraph(&question, BODY_SIZE, false, INK);
            flow.gap(6.0);
        }
        flow.table(&table);
    }
}
