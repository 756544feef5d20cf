/**
 * The test matter and its required PDF materials, without imports: the server's case tests
 * (through test-support.ts) and the browser journeys (apps/web/e2e) read the same list.
 */

export const MATTER = 'land-conversion-expropriation';

/** The required materials of 农用地转用和土地征收审批 besides the coordinate file. */
export const REQUIRED_PDFS = [
  'reportLetter',
  'submissionStatement',
  'conversionPlan',
  'farmlandSupplementPlan',
  'expropriationPlan',
  'surveyReport',
  'planMap',
  'landUseMap',
  'preExpropriation',
] as const;
