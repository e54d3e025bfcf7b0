"""Strings of sign-in, sign-out and page access."""
STRINGS = {
    "auth.form_title": {"en": "Sign in", "zh": "登录"},
    "auth.username": {"en": "Username", "zh": "用户名"},
    "auth.password": {"en": "Password", "zh": "密码"},
    "auth.sign_in": {"en": "Sign in", "zh": "登录"},
    "auth.sign_out": {"en": "Sign out", "zh": "退出登录"},
    "auth.role": {"en": "Role", "zh": "角色"},
    "auth.employee_id": {"en": "Employee ID", "zh": "员工编号"},
    # One message for a wrong password and an unknown username: no hint that a name exists.
    "auth.wrong": {"en": "Username or password is incorrect.", "zh": "用户名或密码错误。"},
    "auth.cooldown": {
        "en": "Too many failed sign-ins for this username. Try again in {minutes} minute(s).",
        "zh": "该用户名登录失败次数过多，请 {minutes} 分钟后再试。",
    },
    "auth.timed_out": {"en": "You were signed out after a period without activity. Sign in again.",
                       "zh": "由于长时间未操作，您已退出登录。请重新登录。"},
    "auth.signed_out": {"en": "Your session has ended. Sign in again.", "zh": "您的会话已结束，请重新登录。"},
    "auth.bye": {"en": "You have signed out.", "zh": "您已退出登录。"},
    "auth.signed_in_as": {"en": "Signed in as {name} · {role}", "zh": "当前用户：{name} · {role}"},
    "auth.demo_hint": {
        "en": "Demo mode: sign in as one of the sample data's users below. Their passwords are published, "
              "so demo mode must never serve real data.",
        "zh": "演示模式：请使用下列示例数据用户登录。这些密码是公开的，因此演示模式绝不能用于真实数据。",
    },
    "auth.page_refused": {"en": "Your role may not open this page. Pick a page from the menu.",
                          "zh": "您的角色无权打开此页面，请从菜单中选择其他页面。"},
    "auth.sign_in_first": {"en": "Sign in first: open the app's start page.",
                           "zh": "请先登录：打开应用首页。"},
    "auth.no_pages": {
        "en": "Your account has no role that may open a page. Ask an administrator to set your role "
              "(admin, director, manager, staff or viewer) in config/auth.yaml.",
        "zh": "您的账号没有可访问任何页面的角色。请联系管理员在 config/auth.yaml 中设置角色"
              "（admin、director、manager、staff 或 viewer）。",
    },
    "auth.no_pages_for_role": {"en": "None of this app's pages is open to your role.",
                               "zh": "本应用中没有对您的角色开放的页面。"},
    "auth.role.admin": {"en": "Administrator", "zh": "管理员"},
    "auth.role.director": {"en": "Director", "zh": "总监"},
    "auth.role.manager": {"en": "Manager", "zh": "经理"},
    "auth.role.staff": {"en": "Staff", "zh": "员工"},
    "auth.role.viewer": {"en": "Meeting-room screen", "zh": "会议室大屏"},
    "auth.role.none": {"en": "No role", "zh": "无角色"},
    # What each demo account shows, on the login page of demo mode (lib/access.py decides).
    "auth.sees": {"en": "Sees", "zh": "可见范围"},
    "auth.sees.admin": {"en": "every page and every appraisal row", "zh": "全部页面和全部考核数据"},
    "auth.sees.director": {"en": "every page and every appraisal row", "zh": "全部页面和全部考核数据"},
    "auth.sees.manager": {"en": "every page; appraisals of their own department", "zh": "全部页面；本部门的考核数据"},
    "auth.sees.staff": {"en": "the dashboards; only their own appraisal", "zh": "各看板；仅本人的考核数据"},
    "auth.sees.viewer": {"en": "cockpit, channels, OKRs, weekly review; no personal data",
                         "zh": "驾驶舱、渠道、OKR、周会；无个人数据"},
    "auth.sees.none": {"en": "nothing", "zh": "无"},
}
