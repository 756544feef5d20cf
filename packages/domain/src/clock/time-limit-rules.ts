/**
 * Time limits as data: the statutory limits (法定时限) the product enforces and the province's
 * promised limits (承诺时限). These are the defaults; STYLE.md puts runtime-tunable limits in the
 * database, so the server seeds its table from here and admins edit it there.
 *
 * Units follow the law: 行政许可法 §82 counts its limits in working days; 政府信息公开条例 §33
 * says 工作日 itself; 行政复议法 (2023) §88 ¶2 makes only its 3/5/7/10-day limits working days,
 * so its 60 and 30 days are calendar days; 信访工作条例 says 日 — calendar days.
 */
import { AppError } from '../errors.ts';
import type { ClockUnit } from './day-arithmetic.ts';

/** GLOSSARY: 法定时限 statutoryLimit, 承诺时限 promisedLimit */
export type TimeLimitKind = 'statutoryLimit' | 'promisedLimit';

export interface TimeLimitRule {
  key: string;
  /** name in Chinese, as the law or pledge words it */
  name: string;
  unit: ClockUnit;
  limit: number;
  /** the largest extension the source allows, in the same unit; null = none */
  extension: number | null;
  kind: TimeLimitKind;
  source: { law: string; article: string };
  notes?: string;
}

export const timeLimitRules = [
  {
    key: 'licensing.acceptance',
    name: '行政许可申请受理（补正告知）',
    unit: 'workday',
    limit: 5,
    extension: null,
    kind: 'statutoryLimit',
    source: { law: '中华人民共和国行政许可法', article: '第三十二条第一款第（四）项；第八十二条（以工作日计算）' },
    notes: '材料不齐全的，应当当场或者在五日内一次告知需要补正的全部内容；逾期不告知的，自收到申请材料之日起即为受理。',
  },
  {
    key: 'licensing.decision',
    name: '行政许可决定',
    unit: 'workday',
    limit: 20,
    extension: 10,
    kind: 'statutoryLimit',
    source: { law: '中华人民共和国行政许可法', article: '第四十二条第一款' },
    notes:
      '二十日内不能作出决定的，经本行政机关负责人批准，可以延长十日，并告知申请人理由。听证、招标、拍卖、检验、检测、检疫、鉴定和专家评审所需时间不计入（第四十五条）。',
  },
  {
    key: 'licensing.jointDecision',
    name: '统一办理、联合办理、集中办理的行政许可',
    unit: 'workday',
    limit: 45,
    extension: 15,
    kind: 'statutoryLimit',
    source: { law: '中华人民共和国行政许可法', article: '第四十二条第二款' },
    notes: '四十五日内不能办结的，经本级人民政府负责人批准，可以延长十五日。',
  },
  {
    key: 'licensing.lowerTierReview',
    name: '下级行政机关初步审查',
    unit: 'workday',
    limit: 20,
    extension: null,
    kind: 'statutoryLimit',
    source: { law: '中华人民共和国行政许可法', article: '第四十三条' },
    notes: '依法应当先经下级行政机关审查后报上级行政机关决定的，下级行政机关应当自受理之日起二十日内审查完毕。',
  },
  {
    key: 'licensing.delivery',
    name: '颁发、送达行政许可证件',
    unit: 'workday',
    limit: 10,
    extension: null,
    kind: 'statutoryLimit',
    source: { law: '中华人民共和国行政许可法', article: '第四十四条' },
    notes: '自作出决定之日起十日内。',
  },
  {
    key: 'petition.routing',
    name: '信访事项登记、转送、交办',
    unit: 'day',
    limit: 15,
    extension: null,
    kind: 'statutoryLimit',
    source: { law: '信访工作条例（2022）', article: '第二十二条' },
    notes: '收到信访事项应当予以登记，并区分情况在15日内分别处理。条文序号请以国务院公报文本核对。',
  },
  {
    key: 'petition.handling',
    name: '信访事项办理',
    unit: 'day',
    limit: 60,
    extension: 30,
    kind: 'statutoryLimit',
    source: { law: '信访工作条例（2022）', article: '第三十二条' },
    notes:
      '自受理之日起60日内办结；情况复杂的，经负责人批准可以延长，延长期限不得超过30日。条文序号请以国务院公报文本核对（有资料作第三十四条）。',
  },
  {
    key: 'petition.review',
    name: '信访事项复查',
    unit: 'day',
    limit: 30,
    extension: null,
    kind: 'statutoryLimit',
    source: { law: '信访工作条例（2022）', article: '第三十五条' },
    notes: '自收到复查请求之日起30日内提出复查意见。',
  },
  {
    key: 'petition.reexamination',
    name: '信访事项复核',
    unit: 'day',
    limit: 30,
    extension: null,
    kind: 'statutoryLimit',
    source: { law: '信访工作条例（2022）', article: '第三十六条' },
    notes: '自收到复核请求之日起30日内提出复核意见。',
  },
  {
    key: 'reconsideration.acceptance',
    name: '行政复议申请审查受理',
    unit: 'workday',
    limit: 5,
    extension: null,
    kind: 'statutoryLimit',
    source: { law: '中华人民共和国行政复议法（2023年修订）', article: '第三十条；第八十八条第二款（五日指工作日）' },
    notes: '收到行政复议申请后五日内审查，决定是否受理。',
  },
  {
    key: 'reconsideration.decision',
    name: '行政复议决定（普通程序）',
    unit: 'day',
    limit: 60,
    extension: 30,
    kind: 'statutoryLimit',
    source: { law: '中华人民共和国行政复议法（2023年修订）', article: '第六十二条第一款' },
    notes:
      '自受理申请之日起六十日内；情况复杂的，经行政复议机构负责人批准，可以延长，最多不超过三十日。法律规定少于六十日的除外。',
  },
  {
    key: 'reconsideration.simplified',
    name: '行政复议决定（简易程序）',
    unit: 'day',
    limit: 30,
    extension: null,
    kind: 'statutoryLimit',
    source: { law: '中华人民共和国行政复议法（2023年修订）', article: '第六十二条第二款' },
    notes: '适用简易程序的，自受理申请之日起三十日内作出决定。（第六十三条规定的是变更决定，不是期限。）',
  },
  {
    key: 'disclosure.reply',
    name: '政府信息公开申请答复',
    unit: 'workday',
    limit: 20,
    extension: 20,
    kind: 'statutoryLimit',
    source: { law: '中华人民共和国政府信息公开条例（2019年修订）', article: '第三十三条第二款' },
    notes:
      '不能当场答复的，自收到申请之日起20个工作日内答复；经政府信息公开工作机构负责人同意，可延长，最长不超过20个工作日。',
  },
  {
    key: 'mining.explorationRegistration',
    name: '探矿权登记（新立、延续、变更）',
    unit: 'workday',
    limit: 40,
    extension: null,
    kind: 'statutoryLimit',
    source: { law: '矿产资源勘查区块登记管理办法（国务院令第240号）', article: '第八条（条文序号凭记忆，待核对原文）' },
    notes:
      '登记管理机关应当自收到申请之日起40日内作出准予登记或者不予登记的决定。按行政许可法第八十二条以工作日计（省厅办事指南按40个工作日公布；待核对）。',
  },
  {
    key: 'mining.miningRegistration',
    name: '采矿权登记（新立、延续、变更）',
    unit: 'workday',
    limit: 40,
    extension: null,
    kind: 'statutoryLimit',
    source: { law: '矿产资源开采登记管理办法（国务院令第241号）', article: '第十条（条文序号凭记忆，待核对原文）' },
    notes:
      '登记管理机关应当自收到申请之日起40日内作出准予登记或者不予登记的决定。按行政许可法第八十二条以工作日计（省厅办事指南按40个工作日公布；待核对）。',
  },
  {
    key: 'promised.constructionLand',
    name: '建设用地审批厅内审查（承诺时限）',
    unit: 'workday',
    limit: 15,
    extension: null,
    kind: 'promisedLimit',
    source: {
      law: '省国土资源厅承诺（电子政务建设记事，见 /work/shared/seeds/000）',
      article: '“建设用地审批事项厅内审查时间控制在15个工作日内”',
    },
  },
  {
    key: 'promised.keyProject',
    name: '重点事项特事特办（承诺时限）',
    unit: 'workday',
    limit: 7,
    extension: null,
    kind: 'promisedLimit',
    source: {
      law: '省国土资源厅承诺（电子政务建设记事，见 /work/shared/seeds/000）',
      article: '“重点事项做到特事特办……确保在7个工作日内完成”',
    },
    notes: '主办处室指定专人跟踪督办（expedite）。',
  },
] as const satisfies readonly TimeLimitRule[];

export type TimeLimitRuleKey = (typeof timeLimitRules)[number]['key'];

const byKey = new Map<string, TimeLimitRule>(timeLimitRules.map((r) => [r.key, r]));

/** The rule for a key (TimeLimitRuleKey in code; a string from the DB may be unknown: NOT_FOUND). */
export function getTimeLimitRule(key: string): TimeLimitRule {
  const rule = byKey.get(key);
  if (!rule)
    throw new AppError('NOT_FOUND', `no time-limit rule ${key}`, [{ path: 'key', message: 'unknown rule key' }]);
  return rule;
}
