// Shared by the enterprise pages: the flags in their canonical order, tag colours of flags and
// request states.
export const FLAGS = ['above_scale', 'high_tech', 'tech_sme', 'gazelle', 'little_giant', 'specialized']
const FLAG_TAG = { above_scale: 'primary', high_tech: 'success', tech_sme: 'success', gazelle: 'warning', little_giant: 'danger', specialized: 'danger' }
export const flagTag = (f) => FLAG_TAG[f] || 'info'
export const STATE_TAG = { open: 'info', accepted: 'primary', in_progress: 'primary', replied: 'warning', closed: 'success', reopened: 'danger' }
export const CATEGORIES = ['labor', 'financing', 'land', 'approval', 'utilities', 'policy', 'other']
