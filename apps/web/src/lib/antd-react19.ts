import { unstableSetRender } from 'antd';
import { createRoot, type Root } from 'react-dom/client';

/**
 * antd 5 renders a few things outside the tree (the click wave, static message/modal) with
 * React 18's legacy `render`, which React 19 removed. This is antd's documented shim
 * (https://u.ant.design/v5-for-19) without adding the patch package: render through
 * `createRoot`, one root per container.
 */
const roots = new WeakMap<Element | DocumentFragment, Root>();

unstableSetRender((node, container) => {
  let root = roots.get(container);
  if (!root) {
    root = createRoot(container);
    roots.set(container, root);
  }
  root.render(node);
  return async () => {
    // unmounting synchronously inside a render warns; let the current render finish
    await new Promise((resolve) => setTimeout(resolve, 0));
    root.unmount();
    roots.delete(container);
  };
});
