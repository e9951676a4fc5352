// Shared by the pages of the Q&A module: the states in workflow order and their tag colours.
export const STATES = ['pending', 'rejected', 'open', 'accepted', 'replied', 'closed', 'reopened']
export const STATE_TAG = { pending: 'warning', rejected: 'info', open: 'primary', accepted: 'primary', replied: 'success', closed: 'info', reopened: 'danger' }
