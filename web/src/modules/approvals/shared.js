// Tag colours of approval states, shared by the work list and the board.
export const STATE_TAG = { preparing: 'info', submitted: 'warning', accepted: 'primary', issued: 'success' }
