/*
 * common_passwords.c — passwords too common to allow (ASVS 2.1.7), compiled
 * in.  Only entries of 12 characters or more matter, as shorter ones are
 * refused anyway: the most frequent long passwords of the public breach
 * corpora (SecLists' 10-million list and the Chinese CSDN/163 leaks), the
 * usual "complex" administrator defaults, and generic patterns (one
 * repeated character, a run of the keyboard or the digits) checked by rule.
 */
#include <ctype.h>
#include <string.h>

#include "auth.h"

static const char *const common[] = {
    "123456789012", "1234567890123", "12345678901234", "123456789123", "1234567890qwe", "1234567890abc",
    "123456123456", "123123123123", "123321123321", "111111111111", "000000000000", "888888888888",
    "666666666666", "147258369147", "123456654321", "987654321987", "098765432109", "121212121212",
    "112233445566", "qwertyuiopas", "qwertyuiop123", "qwertyuiop12", "qwerty123456", "qwerty1234567",
    "qwertyqwerty", "asdfghjkl123", "zxcvbnm12345", "1q2w3e4r5t6y", "1q2w3e4r5t6y7u",
    "1qaz2wsx3edc", "1qaz2wsx3edc4rfv", "zaq12wsxcde3", "zaq1zaq1zaq1", "qazwsxedcrfv", "qazwsxedc123",
    "q1w2e3r4t5y6", "a1b2c3d4e5f6", "abc123456789", "abcd12345678", "abcdefghijkl", "abcdef123456",
    "aa1234567890", "a12345678901", "a123456789012", "password1234", "password12345", "password123456",
    "passwordpassword", "passw0rd1234", "p@ssw0rd1234", "p@ssword1234", "p@ssw0rd123!", "passw0rd@123",
    "password@123", "password!123", "password123!", "mypassword123", "thisismypassword", "iloveyou1234",
    "iloveyou12345", "iloveyouiloveyou", "letmein12345", "welcome12345", "welcome@1234", "welcome123456",
    "changeme1234", "changeme123!", "administrator", "administrator1", "administrator123", "admin1234567",
    "admin12345678", "admin@123456", "admin@1234567", "admin123456!", "admin#123456", "adminadmin123",
    "root12345678", "root@1234567", "root@123456!", "huawei@12345", "huawei@123456", "huawei123456",
    "sunshine1234", "football1234", "baseball1234", "superman1234", "princess1234", "dragon123456",
    "monkey123456", "master123456", "shadow123456", "michael12345", "computer1234", "internet1234",
    "starwars1234", "trustno11234", "woaini131452", "woaini1314520", "woaini520520", "woaini123456",
    "woaiwojia123", "5201314520131", "520131452013", "131452052013", "1314520520", "5201314woaini",
    "zhang123456789", "wang123456789", "li1234567890", "liu123456789", "chen123456789", "zhongguo1234",
    "zhongguo123456", "china1234567", "china123456789", "beijing12345", "shanghai1234", "hunan1234567",
    "zhuzhou12345", "zhuzhou123456", "guatu1234567", "guatu123456789", "office123456", "office1234567",
    "leader123456", "unit12345678", "qq1234567890", "qq123456789a", "asd123456789", "zxc123456789",
    "qwe123456789", "qaz123456789", "wsx123456789", "aaa123456789", "aaaaaa123456", "a1s2d3f4g5h6",
    "1a2b3c4d5e6f", "!qaz2wsx3edc", "!qaz@wsx#edc", "1qaz@wsx3edc", "1qaz!qaz1qaz", "qwer1234qwer",
    "asdf1234asdf", "zxcv1234zxcv", "12345qwert12", "12345qwertasdf", "qwertasdfgzxcvb", "1234qwerasdf",
    "1234qwerasdfzxcv", "iloveyou520", "football123456", "987654321000", "9876543210123", "102030405060",
    NULL,
};

/* Runs along the digits or a keyboard row, either way: 345678901234, poiuytrewq12… */
static int is_run(const char *p) {
  static const char *const rows[] = {"01234567890123456789", "qwertyuiopqwertyuiop", "asdfghjklasdfghjkl",
                                     "zxcvbnmzxcvbnm", "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz"};
  size_t n = strlen(p);
  char rev[129];
  if (n >= sizeof rev) return 0;
  for (size_t i = 0; i < n; i++) rev[i] = p[n - 1 - i];
  rev[n] = 0;
  for (size_t i = 0; i < sizeof rows / sizeof *rows; i++)
    if (strstr(rows[i], p) || strstr(rows[i], rev)) return 1;
  return 0;
}

int password_is_common(const char *password) {
  char low[129];
  size_t n = strlen(password);
  if (n >= sizeof low) return 0;
  for (size_t i = 0; i <= n; i++) low[i] = (char)tolower((unsigned char)password[i]);
  for (int i = 0; common[i]; i++)
    if (strcmp(low, common[i]) == 0) return 1;
  /* one character repeated, or a repeated short pattern (abcabcabcabc, 1212…) */
  for (size_t period = 1; period <= 4 && period < n; period++) {
    size_t i = period;
    while (i < n && low[i] == low[i - period]) i++;
    if (i == n) return 1;
  }
  return is_run(low);
}
