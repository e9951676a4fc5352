// Account module: the user's own settings. Its entry joins the 系统管理 group of the system module.
export default {
  routes: [
    {
      path: '/account/password',
      name: 'account-password',
      component: () => import('./Password.vue'),
      meta: { titleKey: 'account.password.title' },
    },
  ],
  menu: [
    {
      path: '/system',
      titleKey: 'system.title',
      icon: 'Setting',
      children: [{ path: '/account/password', titleKey: 'account.password.title', icon: 'Lock', roles: ['*'], order: 50 }],
    },
  ],
  messages: {
    'zh-CN': {
      account: {
        password: {
          title: '修改密码',
          old: '当前密码',
          new: '新密码',
          confirm: '确认新密码',
          mismatch: '两次输入的新密码不一致',
          same: '新密码不能与当前密码相同',
          done: '密码已修改，下次登录请使用新密码',
          hint: '密码至少 12 个字符，可用带空格的短语；过于常见的密码会被拒绝；请勿使用与其他系统相同的密码。',
          strength: '强度',
          weak: '弱',
          medium: '中',
          strong: '强',
        },
      },
    },
    en: {
      account: {
        password: {
          title: 'Change password',
          old: 'Current password',
          new: 'New password',
          confirm: 'Confirm new password',
          mismatch: 'The two new passwords differ',
          same: 'The new password must differ from the current one',
          done: 'Password changed; use the new one next time you log in',
          hint: 'At least 12 characters; a passphrase with spaces is fine; common passwords are refused; do not reuse a password from another system.',
          strength: 'Strength',
          weak: 'Weak',
          medium: 'Medium',
          strong: 'Strong',
        },
      },
    },
  },
}
