// Breakpoint shared by the layout and pages: under 768px the UI is in phone mode
// (sidebar becomes a drawer, forms stack, dialogs go full width).
import { ref } from 'vue'

const query = typeof window !== 'undefined' && window.matchMedia ? window.matchMedia('(max-width: 767.98px)') : null
export const isMobile = ref(query ? query.matches : false)
if (query) query.addEventListener('change', (e) => (isMobile.value = e.matches))

export function useResponsive() {
  return { isMobile }
}
