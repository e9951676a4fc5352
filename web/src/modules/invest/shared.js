// Shared by the investment attraction pages: the stages in order, their tag colours, the
// suggested channels and chains, the investor classes, and 万元 ↔ yuan for the forms.
export const STAGES = ['lead', 'negotiation', 'prereview', 'decision', 'signed', 'registered', 'started', 'production']
export const STAGE_TAG = {
  lead: 'info', negotiation: 'primary', prereview: 'primary', decision: 'warning',
  signed: 'success', registered: 'success', started: 'success', production: 'success', lost: 'danger',
}
export const CLASSES = ['fortune500', 'china500', 'private500', 'none']
export const CHANNELS = ['以商招商', '异地商会', '推介会', '迎老乡回故乡建家乡', '驻点招商', '中介招商']
export const CHAINS = ['新材料', '硬质材料', '先进装备制造', '信创', '现代物流', '生物医药', '电子信息', '新能源', '商贸服务']
export const TEAM_KINDS = ['department', 'hq', 'town']
export const MEETING_KINDS = ['negotiation', 'prereview', 'decision']

/** 万元 (a number from an input) → yuan as the API reads it ("150000000"). */
export function wanToYuan(wan) {
  if (wan === null || wan === undefined || wan === '') return undefined
  return String(Math.round(Number(wan) * 100) * 100)
}
/** yuan string from the API → 万元 number for an input. */
export function yuanToWan(yuan) {
  return yuan === null || yuan === undefined ? null : Number(yuan) / 10000
}
