import { App as AntApp, ConfigProvider } from 'antd';
import antdZhCN from 'antd/locale/zh_CN';
import antdEnUS from 'antd/locale/en_US';
import { BrowserRouter } from 'react-router-dom';
import { SessionProvider } from './components/SessionProvider.tsx';
import { I18nProvider, useI18n } from './i18n/I18nProvider.tsx';
import { AppRoutes } from './routes/AppRoutes.tsx';

const theme = {
  token: {
    colorPrimary: '#1f5fa8',
    borderRadius: 6,
    fontFamily:
      "-apple-system, BlinkMacSystemFont, 'Segoe UI', 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', 'WenQuanYi Micro Hei', sans-serif",
  },
};

function Themed() {
  const { locale } = useI18n();
  return (
    <ConfigProvider locale={locale === 'en-US' ? antdEnUS : antdZhCN} theme={theme}>
      <AntApp>
        <SessionProvider>
          <BrowserRouter>
            <AppRoutes />
          </BrowserRouter>
        </SessionProvider>
      </AntApp>
    </ConfigProvider>
  );
}

export function App() {
  return (
    <I18nProvider>
      <Themed />
    </I18nProvider>
  );
}
