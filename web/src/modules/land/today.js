// Today as YYYY-MM-DD in local time (the server validates dates against its own clock).
export function TODAY_STR() {
  const d = new Date()
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`
}
